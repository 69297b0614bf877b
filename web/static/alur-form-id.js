/* form-js in Bahasa Indonesia. form-js 1.23 has no translation hook: its validator's messages
 * are wrapped, its few fixed texts (buttons, placeholders, ARIA labels) are replaced as they
 * appear, and its date and time fields read and show dates the Indonesian way (AlurDates)
 * whatever the browser's language. A date or time it cannot take keeps what the person typed
 * and says why beside the field, instead of form-js emptying the field. */
(function (root) {
  "use strict";

  // Texts form-js renders itself (exact), and its validator's messages (patterns).
  const TEXTS = {
    "Field is required.": "Wajib diisi.",
    "Field must be a valid email.": "Alamat e-mail tidak valid.",
    "Field must be a valid  international phone number. (e.g. +4930664040900)":
      "Nomor telepon tidak valid (mis. +6281234567890).",
    "Value is not a number.": "Harus berupa angka.",
    "Value is expected to be an integer.": "Harus berupa bilangan bulat.",
    "Date and time must both be entered.": "Tanggal dan jam harus diisi keduanya.",
    "Min validation value is not a valid number.": "Batas bawah di formulir bukan angka.",
    "Max validation value is not a valid number.": "Batas atas di formulir bukan angka.",
    Select: "Pilih",
    Search: "Cari",
    "No results": "Tidak ada hasil",
    "All values selected": "Semua pilihan sudah dipilih",
    Browse: "Pilih berkas",
    "No files selected": "Belum ada berkas dipilih",
    Increment: "Tambah",
    Decrement: "Kurangi",
    "Previous page": "Halaman sebelumnya",
    "Next page": "Halaman berikutnya",
    "hh:mm": "jj.mm",
    "hh:mm --": "jj.mm",
  };
  const PATTERNS = [
    [/^Field must have minimum length of (\d+)\.$/, "Paling sedikit $1 karakter."],
    [/^Field must have maximum length of (\d+)\.$/, "Paling banyak $1 karakter."],
    [/^Field must have minimum value of (.+)\.$/, "Paling kecil $1."],
    [/^Field must have maximum value of (.+)\.$/, "Paling besar $1."],
    [/^Field must match pattern .*\.$/, "Tidak sesuai format yang diminta."],
    [/^Value is expected to have at most (\d+) decimal digits?\.$/, "Paling banyak $1 angka di belakang koma."],
    [/^Please select a valid value, the two nearest valid values are (.+) and (.+)\.$/,
      "Pilih nilai yang sah; dua nilai terdekat: $1 dan $2."],
    [/^(\d+) files selected$/, "$1 berkas dipilih"],
    [/^Download (.+)$/, "Unduh $1"],
    [/^Remove list item (\d+)$/, "Hapus butir $1"],
  ];
  const DATE_PLACEHOLDER = "hh/bb/tttt";

  function translate(text) {
    if (typeof text !== "string") return text;
    const trimmed = text.trim();
    if (Object.prototype.hasOwnProperty.call(TEXTS, trimmed)) return text.replace(trimmed, TEXTS[trimmed]);
    for (const [pattern, replacement] of PATTERNS) {
      if (pattern.test(trimmed)) return text.replace(trimmed, trimmed.replace(pattern, replacement));
    }
    return text;
  }

  function translateTree(node) {
    if (node.nodeType === Node.TEXT_NODE) {
      const shown = translate(node.data);
      if (shown !== node.data) node.data = shown;
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    [node].concat(Array.from(node.querySelectorAll("[placeholder], [aria-label], [title]"))).forEach(function (el) {
      ["placeholder", "aria-label", "title"].forEach(function (name) {
        if (!el.hasAttribute || !el.hasAttribute(name)) return;
        const shown = translate(el.getAttribute(name));
        if (shown !== el.getAttribute(name)) el.setAttribute(name, shown);
      });
    });
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    for (let text = walker.nextNode(); text; text = walker.nextNode()) translateTree(text);
  }

  function components(schema) {
    const out = [];
    (function walk(items) {
      (items || []).forEach(function (c) {
        out.push(c);
        walk(c.components);
      });
    })(schema.components);
    return out;
  }

  /** Keeps the form's texts in Bahasa as form-js renders and re-renders them. */
  function translateTexts(form, host) {
    const validator = form.get("validator");
    const validate = validator.validateField.bind(validator);
    validator.validateField = function (field, value) {
      return validate(field, value).map(translate);
    };
    translateTree(host);
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        if (record.type === "characterData") translateTree(record.target);
        else if (record.type === "attributes") translateTree(record.target);
        else record.addedNodes.forEach(translateTree);
      });
    }).observe(host, {
      subtree: true, childList: true, characterData: true,
      attributes: true, attributeFilter: ["placeholder", "aria-label", "title"],
    });
  }

  /** Date and time fields: the Indonesian order and names, and a reason for every refusal.
   * Returns the problems still standing (field id → message), for the submit button. */
  function adaptDates(form, host, schema) {
    const pending = new Map();
    const fields = components(schema).filter(function (c) { return c.type === "datetime"; });

    function fieldOf(input) {
      return fields.find(function (f) {
        return input.id === "fjs-form-" + form._id + "-" + f.id + "-date" ||
          input.id === "fjs-form-" + form._id + "-" + f.id + "-time";
      });
    }

    function showProblems() {
      if (!pending.size) return;
      const errors = Object.assign({}, form._getState().errors);
      pending.forEach(function (problem) { errors[problem.fieldId] = [problem.message]; });
      form._setState({ errors: errors });
    }

    function patchPickers() {
      host.querySelectorAll(".fjs-datepicker input.fjs-input").forEach(function (input) {
        const picker = input._flatpickr;
        if (input.placeholder !== DATE_PLACEHOLDER) input.placeholder = DATE_PLACEHOLDER;
        if (!picker || picker.alurIndonesian) return;
        picker.alurIndonesian = true;
        picker.config.formatDate = function (date) { return AlurDates.showDate(date); };
        picker.config.parseDate = function (text) {
          try {
            return AlurDates.readDate(text);
          } catch (problem) {
            return undefined;
          }
        };
        if (picker.selectedDates.length) picker.setDate(picker.selectedDates, false);
      });
    }

    function check(event) {
      const input = event.target;
      if (!(input instanceof HTMLInputElement) || !input.classList.contains("fjs-input")) return;
      const isDate = !!input.closest(".fjs-datepicker");
      const isTime = !!input.closest(".fjs-timepicker");
      if (!isDate && !isTime) return;
      if (event.type === "keydown" && event.key !== "Enter") return;
      const related = event.relatedTarget;
      if (related && related.closest && related.closest(".flatpickr-calendar")) return;
      const field = fieldOf(input);
      if (!field) return;
      const key = field.id + (isDate ? ":date" : ":time");
      const text = input.value.trim();
      let message = null;
      if (text) {
        try {
          if (isDate) AlurDates.readDate(text, field.disallowPassedDates ? new Date() : null);
          else AlurDates.readTime(text);
        } catch (problem) {
          if (!(problem instanceof AlurDates.DateProblem)) throw problem;
          message = problem.message;
        }
      }
      if (message === null) {
        pending.delete(key);
        return;
      }
      // form-js would empty the field (and say only "required"): keep the text, say why.
      event.stopPropagation();
      if (event.type === "keydown") event.preventDefault();
      if (isDate && input._flatpickr) input._flatpickr.close();
      pending.set(key, { fieldId: field.id, message: message });
      showProblems();
    }

    // form-js listens for focusout (preact/compat's onBlur), flatpickr for blur.
    host.addEventListener("focusout", check, true);
    host.addEventListener("blur", check, true);
    host.addEventListener("keydown", check, true);
    patchPickers();
    new MutationObserver(patchPickers).observe(host, { subtree: true, childList: true });
    return {
      problems: function () {
        const out = {};
        pending.forEach(function (problem) { out[problem.fieldId] = problem.message; });
        return out;
      },
      show: showProblems,
    };
  }

  /** Each field's label by its key and by its id, for messages that name a field. */
  function labels(schema) {
    const out = { byKey: {}, byId: {} };
    components(schema).forEach(function (c) {
      // A date-time field shows its date and time labels, not its own.
      const label = (c.type === "datetime" && (c.dateLabel || c.timeLabel)) || c.label || c.key;
      if (c.key) out.byKey[c.key] = label;
      if (c.id) out.byId[c.id] = label;
    });
    return out;
  }

  // The calendar's month and day names: set before form-js creates any date picker.
  if (root.flatpickr) root.flatpickr.localize(AlurDates.LOCALE);

  root.AlurFormId = { adaptDates: adaptDates, labels: labels, translate: translate, translateTexts: translateTexts };
})(window);
