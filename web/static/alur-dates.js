/* Dates as people in Indonesia write them: the browser's twin of alur/dates.py.
 * Day first (25/12/2026, 25-12-2026, 25 Desember 2026, 2026-12-25), whatever the browser's
 * language; each refusal says why in Bahasa. Both are held to features/unit/date_vectors.json,
 * so the browser and the server never read a date differently. */
(function (root) {
  "use strict";

  const MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
    "September", "Oktober", "November", "Desember"];
  const MONTH_WORDS = {};
  ["januari jan january", "februari feb pebruari peb february", "maret mar march", "april apr",
    "mei may", "juni jun june", "juli jul july", "agustus agu agt ags aug august",
    "september sep sept", "oktober okt oct october", "november nov nop",
    "desember des dec december"].forEach(function (words, index) {
    words.split(" ").forEach(function (word) { MONTH_WORDS[word] = index + 1; });
  });

  const WEEKDAY = /^(?:senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\s*,?\s+/;
  const ISO = /^([0-9]{4})\s*[/.\-]\s*([0-9]{1,2})\s*[/.\-]\s*([0-9]{1,2})$/;
  const NUMERIC = /^([0-9]{1,2})\s*[/.\-]\s*([0-9]{1,2})\s*[/.\-]\s*([0-9]+)$/;
  const NO_YEAR = /^([0-9]{1,2})\s*[/.\-]\s*([0-9]{1,2})$/;
  const WORDS = /^([0-9]{1,2})\s*[\s.\-/]\s*([a-z']+)\.?\s*[\s.\-/,]\s*([0-9]+)$/;
  const WORDS_NO_YEAR = /^([0-9]{1,2})\s+([a-z]+)\.?$/;
  const TIME = /^([0-9]{1,2})\s*[.:]\s*([0-9]{2})(?:\s*(?:wib|wita|wit))?$/;

  const TEXT = {
    unreadable: "Tanggal tidak terbaca. Tulis tanggal/bulan/tahun, mis. 25/12/2026 atau 25 Desember 2026.",
    shortYear: "Tahun {year} bisa berarti beberapa abad: tulis tahun dengan empat angka, mis. 2026.",
    noYear: "Tahunnya belum ditulis: tulis tanggal/bulan/tahun, mis. 25/12/2026.",
    noMonth: "Bulan {month} tidak ada. Tulis tanggal lebih dulu, lalu bulan, lalu tahun (mis. 25/12/2026 untuk 25 Desember 2026).",
    noDay: "Tanggal {day} tidak ada pada bulan {month} {year}.",
    past: "Tanggal {shown} sudah lewat: pilih hari ini ({today}) atau sesudahnya.",
    badTime: "Jam tidak terbaca. Tulis jam.menit dalam 24 jam, mis. 09.30 atau 14.00.",
  };

  function DateProblem(message) {
    this.message = message;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, name) { return String(values[name]); });
  }

  function normalise(text) {
    return String(text).replace(/\u00a0/g, " ").trim().split(/\s+/).join(" ").toLowerCase();
  }

  function year(digits) {
    if (digits.length !== 4) throw new DateProblem(fill(TEXT.shortYear, { year: digits }));
    return Number(digits);
  }

  function parts(text) {
    text = text.replace(WEEKDAY, "");
    let match;
    if ((match = ISO.exec(text))) return [Number(match[3]), Number(match[2]), Number(match[1])];
    if ((match = NUMERIC.exec(text))) return [Number(match[1]), Number(match[2]), year(match[3])];
    if ((match = WORDS.exec(text))) {
      const month = MONTH_WORDS[match[2].replace(/\.$/, "")];
      if (!month) throw new DateProblem(TEXT.unreadable);
      return [Number(match[1]), month, year(match[3])];
    }
    if (NO_YEAR.test(text) || ((match = WORDS_NO_YEAR.exec(text)) && MONTH_WORDS[match[2]])) {
      throw new DateProblem(TEXT.noYear);
    }
    throw new DateProblem(TEXT.unreadable);
  }

  /** "25 Desember 2026" for a local Date. */
  function showDate(date) {
    return date.getDate() + " " + MONTHS[date.getMonth()] + " " + date.getFullYear();
  }

  /** The local Date (midnight) written in text; with today, a day before it is refused.
   * Throws DateProblem (its message in Bahasa). */
  function readDate(text, today) {
    const [day, month, fullYear] = parts(normalise(text));
    if (month < 1 || month > 12) throw new DateProblem(fill(TEXT.noMonth, { month: month }));
    const date = new Date(fullYear, month - 1, day);
    date.setFullYear(fullYear); // years below 100 would otherwise become 19xx
    if (day < 1 || fullYear < 1 || date.getMonth() !== month - 1 || date.getDate() !== day) {
      throw new DateProblem(fill(TEXT.noDay, { day: day, month: MONTHS[month - 1], year: fullYear }));
    }
    if (today) {
      const first = new Date(today.getFullYear(), today.getMonth(), today.getDate());
      if (date < first) {
        throw new DateProblem(fill(TEXT.past, { shown: showDate(date), today: showDate(first) }));
      }
    }
    return date;
  }

  /** Minutes after midnight written "09.30", "9:30" or "14.00 WIB"; throws DateProblem. */
  function readTime(text) {
    const match = TIME.exec(normalise(text));
    if (!match || Number(match[1]) > 23 || Number(match[2]) > 59) throw new DateProblem(TEXT.badTime);
    return Number(match[1]) * 60 + Number(match[2]);
  }

  /** flatpickr's calendar in Bahasa: month and day names, Monday first. */
  const LOCALE = {
    weekdays: {
      shorthand: ["Min", "Sen", "Sel", "Rab", "Kam", "Jum", "Sab"],
      longhand: ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"],
    },
    months: {
      shorthand: ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"],
      longhand: MONTHS,
    },
    firstDayOfWeek: 1,
    ordinal: function () { return ""; },
    rangeSeparator: " - ",
    weekAbbreviation: "Mgg",
    scrollTitle: "Gulir untuk mengubah",
    toggleTitle: "Klik untuk beralih",
    amPM: ["AM", "PM"],
    yearAriaLabel: "Tahun",
    monthAriaLabel: "Bulan",
    hourAriaLabel: "Jam",
    minuteAriaLabel: "Menit",
    time_24hr: true,
  };

  root.AlurDates = {
    DateProblem: DateProblem,
    LOCALE: LOCALE,
    MONTHS: MONTHS,
    readDate: readDate,
    readTime: readTime,
    showDate: showDate,
  };
})(typeof window !== "undefined" ? window : globalThis);
