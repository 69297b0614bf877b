/* The process owners' modeler in Bahasa Indonesia. bpmn-js, diagram-js and the properties
 * panel ask an injectable `translate` service for every text they show through it; this file
 * defines that service (the documented "custom translate" module, passed to the modeler in
 * `additionalModules` by alur-modeler.js) and its dictionary: the English template is the key,
 * `{placeholders}` are filled in after translation. A template missing here stays English.
 * The keys come from camunda-bpmn-js 5.30.2 (`translate(...)` in its bundle and the labels it
 * passes to `translate`); after an upgrade, run features/web/test_modeler.py and look for
 * English in var/screenshots/modeler-*.png.
 *
 * Texts some components write without `translate` (the popup menu's "N results found", the
 * properties panel's list and section buttons) are replaced as they appear (BYPASS below). */
(function (root) {
  "use strict";

  const KATA = {
    // Palette and tools
    "Activate hand tool": "Alat tangan: geser kanvas",
    "Activate lasso tool": "Alat laso: pilih beberapa elemen",
    "Activate create/remove space tool": "Alat ruang: tambah atau kurangi ruang",
    "Activate global connect tool": "Alat sambung: hubungkan dua elemen",
    "Create start event": "Buat peristiwa awal",
    "Create intermediate/boundary event": "Buat peristiwa antara/batas",
    "Create end event": "Buat peristiwa akhir",
    "Create gateway": "Buat gerbang",
    "Create task": "Buat tugas",
    "Create data object reference": "Buat referensi objek data",
    "Create data store reference": "Buat referensi penyimpanan data",
    "Create expanded sub-process": "Buat subproses (dibentangkan)",
    "Create pool/participant": "Buat pool/partisipan",
    "Create group": "Buat grup",
    "Create element": "Buat elemen",
    "Search in diagram": "Cari di diagram",
    "Open minimap": "Buka peta mini",
    "Close minimap": "Tutup peta mini",

    // Context pad
    "Append element": "Sambungkan elemen",
    "Append end event": "Sambungkan peristiwa akhir",
    "Append gateway": "Sambungkan gerbang",
    "Append task": "Sambungkan tugas",
    "Append intermediate/boundary event": "Sambungkan peristiwa antara/batas",
    "Append receive task": "Sambungkan tugas terima",
    "Append message intermediate catch event": "Sambungkan peristiwa antara tangkap pesan",
    "Append timer intermediate catch event": "Sambungkan peristiwa antara pewaktu",
    "Append conditional intermediate catch event": "Sambungkan peristiwa antara bersyarat",
    "Append signal intermediate catch event": "Sambungkan peristiwa antara tangkap sinyal",
    "Append compensation activity": "Sambungkan aktivitas kompensasi",
    "Add text annotation": "Tambah anotasi teks",
    "Change element": "Ganti jenis elemen",
    "Connect to other element": "Hubungkan ke elemen lain",
    "Connect using association": "Hubungkan dengan asosiasi",
    "Connect using data input association": "Hubungkan dengan asosiasi masukan data",
    Delete: "Hapus",
    "Set color": "Atur warna",
    "Add lane above": "Tambah lajur di atas",
    "Add lane below": "Tambah lajur di bawah",
    "Divide into two lanes": "Bagi menjadi dua lajur",
    "Divide into three lanes": "Bagi menjadi tiga lajur",
    "Align elements": "Ratakan elemen",
    "Align elements left": "Ratakan ke kiri",
    "Align elements center": "Ratakan ke tengah (mendatar)",
    "Align elements right": "Ratakan ke kanan",
    "Align elements top": "Ratakan ke atas",
    "Align elements middle": "Ratakan ke tengah (tegak)",
    "Align elements bottom": "Ratakan ke bawah",
    "Distribute elements horizontally": "Sebarkan elemen mendatar",
    "Distribute elements vertically": "Sebarkan elemen tegak",
    Default: "Bawaan",
    Blue: "Biru",
    Orange: "Jingga",
    Green: "Hijau",
    Red: "Merah",
    Purple: "Ungu",

    // Replace menu: markers in its header
    Loop: "Perulangan",
    "Parallel multi-instance": "Multi-instans paralel",
    "Sequential multi-instance": "Multi-instans berurutan",
    Collection: "Koleksi",
    Compensation: "Kompensasi",
    "Participant multiplicity": "Partisipan jamak",
    "Toggle non-interrupting": "Menyela / tidak menyela",

    // Element names (replace menu, create and append menus)
    Task: "Tugas",
    "User task": "Tugas pengguna",
    "Service task": "Tugas layanan",
    "Send task": "Tugas kirim",
    "Receive task": "Tugas terima",
    "Manual task": "Tugas manual",
    "Business rule task": "Tugas aturan bisnis",
    "Script task": "Tugas skrip",
    "Call activity": "Aktivitas panggil",
    "Sub-process (collapsed)": "Subproses (diciutkan)",
    "Sub-process (expanded)": "Subproses (dibentangkan)",
    "Ad-hoc sub-process (collapsed)": "Subproses ad hoc (diciutkan)",
    "Ad-hoc sub-process (expanded)": "Subproses ad hoc (dibentangkan)",
    "Event sub-process": "Subproses peristiwa",
    Transaction: "Transaksi",
    "Start event": "Peristiwa awal",
    "Message start event": "Peristiwa awal pesan",
    "Timer start event": "Peristiwa awal pewaktu",
    "Conditional start event": "Peristiwa awal bersyarat",
    "Signal start event": "Peristiwa awal sinyal",
    "Error start event": "Peristiwa awal galat",
    "Escalation start event": "Peristiwa awal eskalasi",
    "Compensation start event": "Peristiwa awal kompensasi",
    "Message start event (non-interrupting)": "Peristiwa awal pesan (tidak menyela)",
    "Timer start event (non-interrupting)": "Peristiwa awal pewaktu (tidak menyela)",
    "Conditional start event (non-interrupting)": "Peristiwa awal bersyarat (tidak menyela)",
    "Signal start event (non-interrupting)": "Peristiwa awal sinyal (tidak menyela)",
    "Escalation start event (non-interrupting)": "Peristiwa awal eskalasi (tidak menyela)",
    "Intermediate throw event": "Peristiwa antara lempar",
    "Intermediate catch event": "Peristiwa antara tangkap",
    "Message intermediate catch event": "Peristiwa antara tangkap pesan",
    "Message intermediate throw event": "Peristiwa antara lempar pesan",
    "Timer intermediate catch event": "Peristiwa antara pewaktu",
    "Conditional intermediate catch event": "Peristiwa antara bersyarat",
    "Signal intermediate catch event": "Peristiwa antara tangkap sinyal",
    "Signal intermediate throw event": "Peristiwa antara lempar sinyal",
    "Link intermediate catch event": "Peristiwa antara tangkap tautan",
    "Link intermediate throw event": "Peristiwa antara lempar tautan",
    "Escalation intermediate throw event": "Peristiwa antara lempar eskalasi",
    "Compensation intermediate throw event": "Peristiwa antara lempar kompensasi",
    "Boundary event": "Peristiwa batas",
    "Message boundary event": "Peristiwa batas pesan",
    "Timer boundary event": "Peristiwa batas pewaktu",
    "Escalation boundary event": "Peristiwa batas eskalasi",
    "Conditional boundary event": "Peristiwa batas bersyarat",
    "Error boundary event": "Peristiwa batas galat",
    "Cancel boundary event": "Peristiwa batas pembatalan",
    "Signal boundary event": "Peristiwa batas sinyal",
    "Compensation boundary event": "Peristiwa batas kompensasi",
    "Message boundary event (non-interrupting)": "Peristiwa batas pesan (tidak menyela)",
    "Timer boundary event (non-interrupting)": "Peristiwa batas pewaktu (tidak menyela)",
    "Escalation boundary event (non-interrupting)": "Peristiwa batas eskalasi (tidak menyela)",
    "Conditional boundary event (non-interrupting)": "Peristiwa batas bersyarat (tidak menyela)",
    "Signal boundary event (non-interrupting)": "Peristiwa batas sinyal (tidak menyela)",
    "End event": "Peristiwa akhir",
    "Message end event": "Peristiwa akhir pesan",
    "Escalation end event": "Peristiwa akhir eskalasi",
    "Error end event": "Peristiwa akhir galat",
    "Cancel end event": "Peristiwa akhir pembatalan",
    "Compensation end event": "Peristiwa akhir kompensasi",
    "Signal end event": "Peristiwa akhir sinyal",
    "Terminate end event": "Peristiwa akhir penghentian",
    "Exclusive gateway": "Gerbang eksklusif",
    "Parallel gateway": "Gerbang paralel",
    "Inclusive gateway": "Gerbang inklusif",
    "Complex gateway": "Gerbang kompleks",
    "Event-based gateway": "Gerbang berbasis peristiwa",
    "Sequence flow": "Alur urutan",
    "Default flow": "Alur bawaan",
    "Conditional flow": "Alur bersyarat",
    "Message flow": "Alur pesan",
    Association: "Asosiasi",
    "Data input association": "Asosiasi masukan data",
    "Data output association": "Asosiasi keluaran data",
    "Data object reference": "Referensi objek data",
    "Data store reference": "Referensi penyimpanan data",
    "Empty pool/participant": "Pool/partisipan kosong",
    "Empty pool/participant (removes content)": "Pool/partisipan kosong (isinya dihapus)",
    "Expanded pool/participant": "Pool/partisipan dibentangkan",
    Participant: "Partisipan",
    Lane: "Lajur",
    Process: "Proses",
    Collaboration: "Kolaborasi",
    Group: "Grup",
    "Text annotation": "Anotasi teks",

    // Groups of the create and append menus
    Tasks: "Tugas",
    Events: "Peristiwa",
    "Start events": "Peristiwa awal",
    "Intermediate catch events": "Peristiwa antara tangkap",
    "Intermediate throw events": "Peristiwa antara lempar",
    "Boundary events": "Peristiwa batas",
    "End events": "Peristiwa akhir",
    Gateways: "Gerbang",
    "Sub-processes": "Subproses",
    Data: "Data",
    Participants: "Partisipan",
    Templates: "Templat",
    "Preconfigured elements": "Elemen siap pakai",

    // Descriptions in the create and append menus
    "Atomic units of work in a process": "Satuan kerja terkecil dalam proses",
    "An unspecified step, often used as a placeholder": "Langkah tanpa jenis, sering dipakai sebagai penanda tempat",
    "Work that needs to be done by a person": "Pekerjaan yang dilakukan oleh seseorang",
    "Automated work carried out by a job worker or connector": "Pekerjaan otomatis oleh pekerja job atau konektor",
    "Sends a message": "Mengirim pesan",
    "Waits until a message is received": "Menunggu sampai pesan diterima",
    "A task done by a person without any tooling or UI": "Tugas yang dikerjakan orang tanpa aplikasi",
    "Evaluates a business rule, typically a DMN decision": "Menilai aturan bisnis, biasanya keputusan DMN",
    "Runs a script": "Menjalankan skrip",
    "Calls another process as a reusable subprocess": "Memanggil proses lain sebagai subproses yang dapat dipakai ulang",
    "Things a process reacts to or emits": "Hal yang ditanggapi atau dipicu oleh proses",
    "Where a process or path begins": "Tempat proses atau jalur dimulai",
    "Where the process begins": "Tempat proses dimulai",
    "Where a process path ends": "Tempat jalur proses berakhir",
    "Wait for something to happen before continuing": "Menunggu sesuatu terjadi sebelum berlanjut",
    "Emit an event, then continue": "Memicu peristiwa, lalu berlanjut",
    "React to something while an activity is running": "Menanggapi sesuatu selama aktivitas berjalan",
    "Handles an event that occurs while an activity is active": "Menangani peristiwa yang terjadi selama aktivitas aktif",
    "Marks a point in the flow": "Menandai satu titik dalam alur",
    "Starts the process when a message is received": "Memulai proses saat pesan diterima",
    "Starts the process on a defined timer": "Memulai proses menurut pewaktu",
    "Starts the process when a condition is met": "Memulai proses saat syarat terpenuhi",
    "Starts the process when a matching signal is broadcast": "Memulai proses saat sinyal yang cocok disiarkan",
    "Starts an event subprocess on a message, without interrupting": "Memulai subproses peristiwa saat ada pesan, tanpa menyela",
    "Starts an event subprocess on a timer, without interrupting": "Memulai subproses peristiwa menurut pewaktu, tanpa menyela",
    "Starts an event subprocess when a condition is met, without interrupting": "Memulai subproses peristiwa saat syarat terpenuhi, tanpa menyela",
    "Starts an event subprocess on a signal, without interrupting": "Memulai subproses peristiwa saat ada sinyal, tanpa menyela",
    "Starts an event subprocess on an escalation, without interrupting": "Memulai subproses peristiwa saat ada eskalasi, tanpa menyela",
    "Waits for a message to be received": "Menunggu pesan diterima",
    "Waits for a defined time or duration": "Menunggu sampai waktu atau selama durasi tertentu",
    "Waits until a condition is met": "Menunggu sampai syarat terpenuhi",
    "Waits for a matching signal to be broadcast": "Menunggu sinyal yang cocok disiarkan",
    "Continues from a matching link event": "Melanjutkan dari peristiwa tautan yang cocok",
    "Jumps to a matching link event": "Melompat ke peristiwa tautan yang cocok",
    "Publishes a message to a receiver": "Mengirim pesan ke penerima",
    "Broadcasts a signal": "Menyiarkan sinyal",
    "Raises an escalation to a higher scope": "Mengeskalasi ke lingkup yang lebih tinggi",
    "Triggers compensation of completed activities": "Memicu kompensasi aktivitas yang sudah selesai",
    "Interrupts the activity when a message is received": "Menyela aktivitas saat pesan diterima",
    "Interrupts the activity on a defined timer": "Menyela aktivitas menurut pewaktu",
    "Interrupts the activity on an escalation": "Menyela aktivitas saat ada eskalasi",
    "Interrupts the activity when a condition is met": "Menyela aktivitas saat syarat terpenuhi",
    "Interrupts the activity when it throws an error": "Menyela aktivitas saat terjadi galat",
    "Interrupts the activity on a matching signal": "Menyela aktivitas saat ada sinyal yang cocok",
    "Reacts when a transaction is canceled": "Menanggapi pembatalan transaksi",
    "Attaches a compensation handler to the activity": "Memasang penangan kompensasi pada aktivitas",
    "Reacts to a message while the activity continues": "Menanggapi pesan, aktivitas tetap berjalan",
    "Fires on a timer while the activity continues": "Terpicu oleh pewaktu, aktivitas tetap berjalan",
    "Reacts to an escalation while the activity continues": "Menanggapi eskalasi, aktivitas tetap berjalan",
    "Reacts when a condition is met; activity continues": "Menanggapi saat syarat terpenuhi, aktivitas tetap berjalan",
    "Reacts to a signal while the activity continues": "Menanggapi sinyal, aktivitas tetap berjalan",
    "Ends the current path": "Mengakhiri jalur ini",
    "Ends the path and sends a message": "Mengakhiri jalur dan mengirim pesan",
    "Ends the path and raises an escalation": "Mengakhiri jalur dan mengeskalasi",
    "Ends the path by throwing an error": "Mengakhiri jalur dengan galat",
    "Cancels the transaction and ends the path": "Membatalkan transaksi dan mengakhiri jalur",
    "Ends the path and triggers compensation": "Mengakhiri jalur dan memicu kompensasi",
    "Ends the path and broadcasts a signal": "Mengakhiri jalur dan menyiarkan sinyal",
    "Immediately ends all active paths in the scope": "Segera mengakhiri semua jalur aktif dalam lingkupnya",
    "Route the flow: branch or merge paths": "Mengarahkan alur: mencabangkan atau menggabungkan jalur",
    "Routes the token down one path, based on data": "Memilih satu jalur berdasarkan data",
    "Splits the flow into parallel paths, or joins them": "Membagi alur menjadi jalur paralel, atau menggabungkannya",
    "Takes every outgoing path whose condition is met": "Mengambil setiap jalur keluar yang syaratnya terpenuhi",
    "Models complex branching or merging behavior": "Memodelkan percabangan atau penggabungan yang rumit",
    "Follows the path of whichever event occurs first": "Mengikuti jalur peristiwa yang terjadi lebih dulu",
    "Connects one element to the next in the flow": "Menghubungkan satu elemen ke elemen berikutnya",
    "The default path, taken when no other path condition is met": "Jalur bawaan, diambil bila tidak ada syarat jalur lain yang terpenuhi",
    "Taken only when its condition is met": "Diambil hanya bila syaratnya terpenuhi",
    "Nested or reusable activities": "Aktivitas bersarang atau yang dapat dipakai ulang",
    "Groups elements into a subprocess, shown inline": "Mengelompokkan elemen menjadi subproses, ditampilkan di tempat",
    "Groups elements into a subprocess, shown collapsed": "Mengelompokkan elemen menjadi subproses, ditampilkan diciutkan",
    "Activities run in any order, any number of times": "Aktivitas berjalan dalam urutan apa pun, berapa kali pun",
    "Activities run in any order; shown collapsed": "Aktivitas berjalan dalam urutan apa pun; ditampilkan diciutkan",
    "A subprocess triggered by an event in its scope": "Subproses yang dipicu peristiwa dalam lingkupnya",
    "A subprocess that completes as a whole, or is compensated": "Subproses yang selesai seutuhnya, atau dikompensasi",
    "Data the process uses": "Data yang dipakai proses",
    "Data created and used within a process instance": "Data yang dibuat dan dipakai dalam satu kasus proses",
    "Data that persists beyond the process instance": "Data yang tetap ada setelah kasus proses selesai",
    "Systems or organizations involved": "Sistem atau organisasi yang terlibat",
    "A participant shown as a black box": "Partisipan yang ditampilkan sebagai kotak hitam",
    "A participant with its process shown inside": "Partisipan dengan prosesnya di dalamnya",

    // Popup menus
    "Open {element}": "Buka {element}",
    "Choose element template": "Pilih templat elemen",

    // Properties panel: empty, multiple selection, header
    "Select an element to edit its properties.": "Pilih elemen untuk mengubah propertinya.",
    "Multiple elements are selected. Select a single element to edit its properties.":
      "Beberapa elemen terpilih. Pilih satu elemen untuk mengubah propertinya.",
    "Open documentation": "Buka dokumentasi",

    // Properties panel: groups
    General: "Umum",
    Documentation: "Dokumentasi",
    "Task definition": "Definisi tugas",
    "Job worker": "Pekerja job",
    Implementation: "Implementasi",
    Form: "Formulir",
    Assignment: "Penugasan",
    Timer: "Pewaktu",
    Condition: "Syarat",
    Message: "Pesan",
    Signal: "Sinyal",
    Error: "Galat",
    Escalation: "Eskalasi",
    Link: "Tautan",
    "Called element": "Elemen yang dipanggil",
    "Called decision": "Keputusan yang dipanggil",
    Script: "Skrip",
    "Input mapping": "Pemetaan masukan",
    "Output mapping": "Pemetaan keluaran",
    "Input propagation": "Penerusan masukan",
    "Output propagation": "Penerusan keluaran",
    Headers: "Tajuk tugas",
    "Extension properties": "Properti tambahan",
    "Custom properties": "Properti khusus",
    "Execution listeners": "Pendengar eksekusi",
    "Task listeners": "Pendengar tugas",
    "Multi-instance": "Multi-instans",
    "Business ID": "ID bisnis",
    "Active elements": "Elemen aktif",
    Completion: "Penyelesaian",
    Priority: "Prioritas",
    "Job priority": "Prioritas job",
    "Example data": "Contoh data",
    Template: "Templat",

    // Properties panel: fields
    Name: "Nama",
    ID: "ID",
    "Participant ID": "ID partisipan",
    "Participant Name": "Nama partisipan",
    "Process ID": "ID proses",
    "Process name": "Nama proses",
    "Element documentation": "Dokumentasi elemen",
    "Process documentation": "Dokumentasi proses",
    "Version tag": "Tag versi",
    Executable: "Dapat dijalankan",
    Type: "Jenis",
    "Job type": "Jenis job",
    Retries: "Percobaan ulang",
    Key: "Kunci",
    Value: "Nilai",
    Assignee: "Penerima tugas",
    "Candidate groups": "Kelompok kandidat",
    "Candidate users": "Pengguna kandidat",
    "Due date": "Tenggat",
    "Follow up date": "Tanggal tindak lanjut",
    "Camunda Form": "Formulir Camunda",
    "Camunda Form (linked)": "Formulir Camunda (ditautkan)",
    "Camunda Form (embedded)": "Formulir Camunda (disematkan)",
    "Custom form key": "Kunci formulir khusus",
    "External form reference": "Referensi formulir eksternal",
    "Form ID": "ID formulir",
    "Form JSON configuration": "Konfigurasi JSON formulir",
    Binding: "Pengikatan",
    "Deployment binding": "Pengikatan penerapan",
    "Latest binding": "Pengikatan terbaru",
    "Version tag binding": "Pengikatan tag versi",
    latest: "terbaru",
    deployment: "penerapan",
    "version tag": "tag versi",
    "Implementation type": "Jenis implementasi",
    "Camunda user task": "Tugas pengguna Camunda",
    "DMN decision": "Keputusan DMN",
    "Decision ID": "ID keputusan",
    "Result variable": "Variabel hasil",
    "FEEL expression": "Ekspresi FEEL",
    Date: "Tanggal",
    Duration: "Durasi",
    Cycle: "Siklus",
    "Condition expression": "Ekspresi syarat",
    "Variable events": "Peristiwa variabel",
    "Global message reference": "Referensi pesan global",
    "Global signal reference": "Referensi sinyal global",
    "Global error reference": "Referensi galat global",
    "Global escalation reference": "Referensi eskalasi global",
    "Subscription correlation key": "Kunci korelasi langganan",
    Code: "Kode",
    "Create new ...": "Buat baru …",
    "<none>": "<tidak ada>",
    "<empty>": "<kosong>",
    "Activity reference": "Referensi aktivitas",
    "Wait for completion": "Tunggu sampai selesai",
    "Local variable name": "Nama variabel lokal",
    "Process variable name": "Nama variabel proses",
    "Variable assignment value": "Nilai yang diberikan ke variabel",
    "Propagate all child process variables": "Teruskan semua variabel proses anak",
    "Propagate all parent process variables": "Teruskan semua variabel proses induk",
    "Inherit from parent": "Warisi dari induk",
    On: "Aktif",
    Off: "Nonaktif",
    "Input collection": "Koleksi masukan",
    "Input element": "Elemen masukan",
    "Output collection": "Koleksi keluaran",
    "Output element": "Elemen keluaran",
    "Completion condition": "Syarat selesai",
    "Loop cardinality": "Jumlah perulangan",
    "Cancel remaining instances": "Batalkan instans yang tersisa",
    "Active elements collection": "Koleksi elemen aktif",
    Version: "Versi",
    Description: "Deskripsi",
    "Example output": "Contoh keluaran",
    "Event type": "Jenis peristiwa",
    "Listener type": "Jenis pendengar",
    Start: "Mulai",
    End: "Selesai",
    Cancel: "Batal",
    "Before all": "Sebelum semua",
    "Before each": "Sebelum setiap",
    "After each": "Sesudah setiap",
    "Start: {type}": "Mulai: {type}",
    "End: {type}": "Selesai: {type}",
    "Cancel: {type}": "Batal: {type}",
    "Before all: {type}": "Sebelum semua: {type}",
    "Before each: {type}": "Sebelum setiap: {type}",
    "After each: {type}": "Sesudah setiap: {type}",
    "{eventType}: {type}": "{eventType}: {type}",
    Creating: "Saat dibuat",
    Assigning: "Saat ditugaskan",
    Updating: "Saat diperbarui",
    Completing: "Saat diselesaikan",
    Canceling: "Saat dibatalkan",

    // Properties panel: list and section controls
    Create: "Tambah",
    "Create new list item": "Tambah butir baru",
    "Delete item": "Hapus butir",
    "Toggle list item": "Buka/tutup butir",
    "Toggle section": "Buka/tutup bagian",
    "Section contains an error": "Bagian ini memuat kesalahan",
    "Section contains edits": "Bagian ini sudah diubah",
    "List contains {numOfItems} item": "Daftar memuat {numOfItems} butir",
    "List contains {numOfItems} items": "Daftar memuat {numOfItems} butir",
    "Open pop-up editor": "Buka penyunting sembul",
    "Opened in editor": "Dibuka di penyunting",
    "Click to set a dynamic value with FEEL expression": "Klik untuk mengisi nilai dinamis dengan ekspresi FEEL",
    "Click to remove dynamic value with FEEL expression": "Klik untuk menghapus nilai dinamis ekspresi FEEL",
    Remove: "Hapus",
    "Learn more": "Selengkapnya",
    "Learn more.": "Selengkapnya.",

    // Properties panel: validation
    "ID must not be empty.": "ID wajib diisi.",
    "ID must be unique.": "ID harus unik.",
    "ID must not contain spaces.": "ID tidak boleh memuat spasi.",
    "ID must not contain prefix.": "ID tidak boleh memuat awalan (prefiks).",
    "ID must be a valid QName.": "ID harus berupa QName yang sah.",
    "Must not be empty.": "Wajib diisi.",
    "Must be at least {minLength} characters.": "Paling sedikit {minLength} karakter.",
    "Cannot exceed {maxLength} characters.": "Paling banyak {maxLength} karakter.",
    "Must match pattern {pattern}.": "Harus sesuai pola {pattern}.",
    "{label} must not be empty.": "{label} wajib diisi.",
    "{label} must be at least {minLength} characters.": "{label} paling sedikit {minLength} karakter.",
    "{label} cannot exceed {maxLength} characters.": "{label} paling banyak {maxLength} karakter.",
    "{label} must match pattern {pattern}.": "{label} harus sesuai pola {pattern}.",
    "{label} {message}": "{label} {message}",
    "FEEL expression is mandatory": "Ekspresi FEEL wajib diisi",
    "Unparsable FEEL expression.": "Ekspresi FEEL tidak dapat dibaca.",
    "Scientific notation is disallowed in FEEL.": "Notasi ilmiah tidak diperbolehkan dalam FEEL.",
    "JSON contains errors": "JSON memuat kesalahan",
    "Not found": "Tidak ditemukan",

    // Properties panel: timer help
    "How to configure a timer": "Cara mengatur pewaktu",
    "Documentation: Timer events": "Dokumentasi: peristiwa pewaktu",
    "A specific point in time defined as ISO 8601 combined date and time representation.":
      "Satu titik waktu dalam format tanggal dan jam ISO 8601.",
    "A time duration defined as ISO 8601 durations format.": "Lama waktu dalam format durasi ISO 8601.",
    "A cycle defined as ISO 8601 repeating intervals format.": "Siklus dalam format interval berulang ISO 8601.",
    "A cycle defined as ISO 8601 repeating intervals format, or a cron expression.":
      "Siklus dalam format interval berulang ISO 8601, atau ekspresi cron.",
    "UTC time": "waktu UTC",
    "UTC plus 2 hours zone offset": "zona waktu UTC plus 2 jam",
    "15 seconds": "15 detik",
    "1 hour and 30 minutes": "1 jam 30 menit",
    "14 days": "14 hari",
    "every 10 seconds, up to 5 times": "setiap 10 detik, paling banyak 5 kali",
    "every day, infinitely": "setiap hari, tanpa batas",
    "every hour on the hour from 9-5 p.m. UTC Monday-Friday": "setiap jam tepat, pukul 09.00–17.00 UTC, Senin–Jumat",

    // Properties panel: help texts (some are sentence pieces around an example in <code>)
    " or ": " atau ",
    ", ": ", ",
    "). ": "). ",
    "Define the ID of the process to call (e.g. ": "Isi ID proses yang dipanggil (mis. ",
    "Specify which job workers handle the task work to execute a service (e.g. ":
      "Tentukan pekerja job yang menjalankan layanan tugas ini (mis. ",
    "Specify which job workers handle the task work to send a message (e.g. ":
      "Tentukan pekerja job yang mengirim pesan tugas ini (mis. ",
    "Specify which job workers handle the task work to evaluate business rules. ":
      "Tentukan pekerja job yang menilai aturan bisnis tugas ini. ",
    "Specify which job workers handle the task work to execute a script. ":
      "Tentukan pekerja job yang menjalankan skrip tugas ini. ",
    "Specify which job workers handle the event work. ": "Tentukan pekerja job yang menangani peristiwa ini. ",
    "Execute this task for each element of a given collection. ":
      "Jalankan tugas ini untuk setiap butir dari sebuah koleksi. ",
    "Define an input collection expression that defines the collection to iterate over (e.g. ":
      "Isi ekspresi koleksi masukan yang diulang (mis. ",
    "To collect the output define the output collection and the output element expressions. ":
      "Untuk mengumpulkan hasilnya, isi ekspresi koleksi keluaran dan elemen keluaran. ",
    "Define the error to throw. Specify an error code (e.g. ":
      "Tentukan galat yang dilempar. Isi kode galat (mis. ",
    ") to identify the error. ": ") untuk mengenali galat itu. ",
    "Define the error to catch. Specify an error code (e.g. ":
      "Tentukan galat yang ditangkap. Isi kode galat (mis. ",
    ") to match a specific error, or leave empty to catch any error. ":
      ") untuk galat tertentu, atau kosongkan untuk menangkap galat apa pun. ",
    "Identifier computed from the process context that is used to correlate an incoming message (e.g. ":
      "Pengenal dari data proses untuk mencocokkan pesan yang masuk (mis. ",
    "Define static metadata passed to job workers alongside each job. Headers are not evaluated by the engine — use them for fixed worker configuration (e.g. ":
      "Tentukan metadata tetap yang dikirim ke pekerja job bersama setiap job. Tajuk tidak dievaluasi mesin proses — pakai untuk pengaturan tetap pekerja (mis. ",
    "Add input mappings to control what is passed to the activity as local variables. ":
      "Tambahkan pemetaan masukan untuk mengatur apa yang diteruskan ke aktivitas sebagai variabel lokal. ",
    "Add output mappings to control which variables are merged back into the process scope. ":
      "Tambahkan pemetaan keluaran untuk mengatur variabel mana yang digabungkan kembali ke lingkup proses. ",
    "Add custom key-value metadata to this element. Extension properties have no effect on process execution — they can be used to attach configuration visible for other consumers of the BPMN diagram. ":
      "Tambahkan metadata kunci-nilai pada elemen ini. Properti tambahan tidak memengaruhi jalannya proses — dapat dipakai untuk pengaturan yang dibaca pemakai lain diagram BPMN. ",
    "Add custom logic that reacts to various events in the workflow execution life-cycle. ":
      "Tambahkan logika yang menanggapi berbagai peristiwa dalam siklus hidup eksekusi alur kerja. ",
    "React to user task lifecycle events by executing a job worker. ":
      "Tanggapi peristiwa siklus hidup tugas pengguna dengan menjalankan pekerja job. ",
    "Define the assignment, schedule, and priority of the user task. Assignee, candidate groups, and candidate users can be combined. Use due date and follow-up date to express deadlines and urgency. ":
      "Tentukan penugasan, jadwal dan prioritas tugas pengguna. Penerima tugas, kelompok kandidat dan pengguna kandidat dapat digabungkan. Pakai tenggat dan tanggal tindak lanjut untuk batas waktu dan urgensi. ",
    "Link a form created with the Camunda Forms editor. Submitting this form will start a new process instance. ":
      "Tautkan formulir yang dibuat dengan penyunting Camunda Forms. Mengirim formulir ini memulai kasus proses baru. ",
    "Link a form created with the Camunda Forms editor. To associate a custom form, application, or URL to the user task, specify an external reference. ":
      "Tautkan formulir yang dibuat dengan penyunting Camunda Forms. Untuk formulir, aplikasi atau URL lain, isi referensi eksternal. ",
    "Link or embed a form created with the Camunda Forms editor. To associate a custom form, application, or URL to the user task, specify a form key. ":
      "Tautkan atau sematkan formulir yang dibuat dengan penyunting Camunda Forms. Untuk formulir, aplikasi atau URL lain, isi kunci formulir. ",
    "Define a boolean condition expression that determines when this sequence flow is taken. ":
      "Isi ekspresi syarat (benar/salah) yang menentukan kapan alur urutan ini diambil. ",
    "Learn how to define conditions.": "Pelajari cara menulis syarat.",
    "Specify the condition that triggers this event. ": "Tentukan syarat yang memicu peristiwa ini. ",
    "A FEEL expression that determines whether the event should trigger. ":
      "Ekspresi FEEL yang menentukan apakah peristiwa ini terpicu. ",
    "Variable events that trigger the condition evaluation. If none selected, all variable events will trigger the condition evaluation. ":
      "Peristiwa variabel yang memicu penilaian syarat. Bila tidak ada yang dipilih, semua peristiwa variabel memicunya. ",
    "About conditional events.": "Tentang peristiwa bersyarat.",
    "Configure the message that the task waits for. ": "Atur pesan yang ditunggu tugas ini. ",
    "Configure the message that this event waits for. ": "Atur pesan yang ditunggu peristiwa ini. ",
    "Configure the message that will start this process instance. ": "Atur pesan yang memulai kasus proses ini. ",
    "Configure the message that will trigger this boundary event. ": "Atur pesan yang memicu peristiwa batas ini. ",
    "Define the decision to evaluate and how to map back the evaluation result. ":
      "Tentukan keputusan yang dinilai dan cara memetakan kembali hasilnya. ",
    "Define the FEEL expression to evaluate and the variable to store the result in. ":
      "Isi ekspresi FEEL yang dievaluasi dan variabel tempat menyimpan hasilnya. ",
    "Evaluate a business rule, for example a DMN decision. To add a custom implementation, use a job worker. ":
      "Menilai aturan bisnis, misalnya keputusan DMN. Untuk implementasi sendiri, pakai pekerja job. ",
    "Implement a script task using an inline FEEL expression. To add a custom implementation, use a job worker. ":
      "Jalankan tugas skrip dengan ekspresi FEEL. Untuk implementasi sendiri, pakai pekerja job. ",
    "Implement a user task managed by Camunda. To add a custom implementation, use a job worker. ":
      "Tugas pengguna dikelola Camunda. Untuk implementasi sendiri, pakai pekerja job. ",
    "Implement the ad-hoc subprocess as a job worker instead of activating inner elements. The job type determines which worker handles the subprocess execution. ":
      "Jalankan subproses ad hoc dengan pekerja job, bukan dengan mengaktifkan elemen di dalamnya. Jenis job menentukan pekerja yang menanganinya. ",
    "Define a collection of elements which will be activated when the ad-hoc subprocess is reached. ":
      "Isi koleksi elemen yang diaktifkan saat subproses ad hoc tercapai. ",
    "Define the completion behavior of an ad-hoc subprocess. If no completion condition is set, it will be completed after all active elements have been completed. ":
      "Tentukan kapan subproses ad hoc selesai. Tanpa syarat selesai, subproses selesai setelah semua elemen aktif selesai. ",
    "Define how to collect the outputs of the ad-hoc subprocess. The output collection variable stores the list of results; the output element expression defines what each element contributes. ":
      "Tentukan cara mengumpulkan hasil subproses ad hoc. Variabel koleksi keluaran menyimpan daftar hasil; ekspresi elemen keluaran menentukan sumbangan tiap elemen. ",
    "Control the business ID set on a child process. If left empty, no business ID will be set. ":
      "Atur ID bisnis proses anak. Bila kosong, tidak ada ID bisnis yang diisi. ",
    "Control which variables from the called process are merged back into the parent scope. By default, all child variables are propagated; use output mappings to selectively return specific variables. ":
      "Atur variabel proses yang dipanggil yang digabungkan kembali ke proses induk. Bawaannya semua variabel anak diteruskan; pakai pemetaan keluaran untuk memilih variabel tertentu. ",
    "If turned on, all variables from the child process instance will be propagated to the parent process instance.":
      "Bila aktif, semua variabel kasus proses anak diteruskan ke kasus proses induk.",
    "If turned on, all variables from the parent process instance will be propagated to the child process instance.":
      "Bila aktif, semua variabel kasus proses induk diteruskan ke kasus proses anak.",
    "Otherwise, only variables defined via output mappings will be propagated.":
      "Bila tidak, hanya variabel dari pemetaan keluaran yang diteruskan.",
    "Otherwise, only variables defined via input mappings will be propagated.":
      "Bila tidak, hanya variabel dari pemetaan masukan yang diteruskan.",
    "The number of times the engine tries executing this activity if a worker signals a failure. The default is three.":
      "Berapa kali mesin proses mencoba lagi aktivitas ini bila pekerja melaporkan kegagalan. Bawaannya tiga kali.",
    "Specifies the default priority for all jobs created by a process. Must be an integer. If no value is provided, the default value is 0. ":
      "Prioritas bawaan semua job yang dibuat proses ini. Harus bilangan bulat; bila kosong, nilainya 0. ",
    "Specifies the priority of a job. Must be an integer. If no value is provided, the default value is 0. ":
      "Prioritas job. Harus bilangan bulat; bila kosong, nilainya 0. ",
    "Specifies the priority of a user task. Must be an integer between 0 and 100. If no value is provided, the default value is 50. ":
      "Prioritas tugas pengguna. Harus bilangan bulat 0 sampai 100; bila kosong, nilainya 50. ",
    "Uses the most recent deployed resource.": "Memakai sumber yang paling akhir diterapkan.",
    "Uses the resource found in the same deployment.": "Memakai sumber dari penerapan yang sama.",
    "Uses the most recent deployed resource with the given version tag.":
      "Memakai sumber paling akhir diterapkan dengan tag versi tersebut.",
    "Version tag by which this process can be referenced.": "Tag versi untuk merujuk proses ini.",
    "Version tag by which the called process will be referenced.": "Tag versi untuk merujuk proses yang dipanggil.",
    "Version tag by which the called decision will be referenced.": "Tag versi untuk merujuk keputusan yang dipanggil.",
    "Version tag by which the linked form will be referenced.": "Tag versi untuk merujuk formulir yang ditautkan.",
    "A JSON object — each key represents a variable produced by this element.":
      "Objek JSON — setiap kunci adalah variabel yang dihasilkan elemen ini.",

    // Properties panel: titles of documentation links
    "Timer documentation": "Dokumentasi pewaktu",
    "User task documentation": "Dokumentasi tugas pengguna",
    "Conditions documentation": "Dokumentasi syarat",
    "Business rule task documentation": "Dokumentasi tugas aturan bisnis",
    "Script task documentation": "Dokumentasi tugas skrip",
    "Start event form documentation": "Dokumentasi formulir peristiwa awal",
    "User task form documentation": "Dokumentasi formulir tugas pengguna",
    "Called decision documentation": "Dokumentasi keputusan yang dipanggil",
    "Receive task message documentation": "Dokumentasi pesan tugas terima",
    "Message start event documentation": "Dokumentasi peristiwa awal pesan",
    "Message catch event documentation": "Dokumentasi peristiwa tangkap pesan",
    "Message boundary event documentation": "Dokumentasi peristiwa batas pesan",
    "Message throw event documentation": "Dokumentasi peristiwa lempar pesan",
    "Call activity documentation": "Dokumentasi aktivitas panggil",
    "Service task documentation": "Dokumentasi tugas layanan",
    "Send task documentation": "Dokumentasi tugas kirim",
    "Multi instance documentation": "Dokumentasi multi-instans",
    "Error event documentation": "Dokumentasi peristiwa galat",
    "Input mappings documentation": "Dokumentasi pemetaan masukan",
    "Output mappings documentation": "Dokumentasi pemetaan keluaran",
    "Business ID propagation documentation": "Dokumentasi penerusan ID bisnis",
    "User task priority documentation": "Dokumentasi prioritas tugas pengguna",
    "Job priority documentation": "Dokumentasi prioritas job",
    "Ad-hoc subprocess documentation": "Dokumentasi subproses ad hoc",
    "Subscription correlation key documentation": "Dokumentasi kunci korelasi langganan",
    "Conditional event documentation": "Dokumentasi peristiwa bersyarat",
    "Task headers documentation": "Dokumentasi tajuk tugas",
    "Task listeners documentation": "Dokumentasi pendengar tugas",
    "Execution listeners documentation": "Dokumentasi pendengar eksekusi",
    "Example data documentation": "Dokumentasi contoh data",
    "Learn FEEL expressions": "Pelajari ekspresi FEEL",
    "Learn templating": "Pelajari templat",

    // Element templates (this installation ships none; shown if a diagram uses one)
    Select: "Pilih",
    Applied: "Terpasang",
    Update: "Perbarui",
    Unlink: "Lepaskan",
    Deprecated: "Usang",
    Incompatible: "Tidak cocok",
    "Update available": "Ada pembaruan",
    "This template is deprecated.": "Templat ini sudah usang.",
    "A new version of the template is available: {templateVersion}": "Versi baru templat tersedia: {templateVersion}",
    "A version of this template is available that supports your environment: {templateVersion}":
      "Ada versi templat ini yang cocok untuk lingkungan Anda: {templateVersion}",
    "No compatible version of this template was found for your environment. Unlink to access the template’s data.":
      "Tidak ada versi templat ini yang cocok untuk lingkungan Anda. Lepaskan untuk membuka data templat.",
    "The template applied was not found. Therefore, its properties cannot be shown. Unlink to access the data.":
      "Templat yang terpasang tidak ditemukan, jadi propertinya tidak dapat ditampilkan. Lepaskan untuk membuka datanya.",
  };

  // The properties panel's header names the element's type in title case, composed from its
  // BPMN type ("Timer Start Event (Non Interrupting)", "Collapsed Sub Process"): these are read
  // as the sentence-case names above.
  const HEADER = {
    "Collapsed Sub Process": "Sub-process (collapsed)",
    "Expanded Sub Process": "Sub-process (expanded)",
    "Collapsed Ad Hoc Sub Process": "Ad-hoc sub-process (collapsed)",
    "Expanded Ad Hoc Sub Process": "Ad-hoc sub-process (expanded)",
    "Event Sub Process": "Event sub-process",
    "Event Based Gateway": "Event-based gateway",
  };
  const HEADER_EVENT = /^(Message|Timer|Conditional|Signal|Error|Escalation|Compensate|Cancel|Link|Terminate|Multiple|Parallel Multiple) (Start|Intermediate Catch|Intermediate Throw|Boundary|End) Event( \(Non Interrupting\))?$/;
  const EVENT_KIND = {
    Compensate: "Compensation",
  };
  const EVENT_ID = {
    Multiple: "ganda",
    "Parallel Multiple": "ganda paralel",
  };

  function headerName(template) {
    if (HEADER[template]) return KATA[HEADER[template]];
    const event = HEADER_EVENT.exec(template);
    if (event) {
      const kind = EVENT_KIND[event[1]] || event[1];
      const sentence = `${kind} ${event[2].toLowerCase()} event${event[3] ? " (non-interrupting)" : ""}`;
      if (KATA[sentence]) return KATA[sentence];
      if (EVENT_ID[event[1]]) {
        const base = KATA[`${event[2].charAt(0)}${event[2].slice(1).toLowerCase()} event`];
        return `${base} ${EVENT_ID[event[1]]}${event[3] ? " (tidak menyela)" : ""}`;
      }
      return undefined;
    }
    // "User Task", "Sequence Flow", "Data Object Reference": the same words in sentence case.
    const sentence = template.charAt(0) + template.slice(1).toLowerCase();
    return KATA[sentence];
  }

  function lookup(template) {
    if (Object.prototype.hasOwnProperty.call(KATA, template)) return KATA[template];
    if (/^[A-Z][a-z]+( [A-Z][a-z]+)+( \(Non Interrupting\))?$/.test(template)) return headerName(template);
    return undefined;
  }

  /** The modeler's `translate` service: the Bahasa template with its placeholders filled in. */
  function translate(template, replacements) {
    const values = Object.assign({}, replacements);
    // A listener's label: "{eventType}: {type}" with an English event name, "<no type>" unset.
    if (template === "{eventType}: {type}" && KATA[values.eventType]) values.eventType = KATA[values.eventType];
    if (values.type === "<no type>") values.type = "<tanpa jenis>";
    const text = typeof template === "string" ? lookup(template) || template : template;
    if (typeof text !== "string") return text;
    return text.replace(/{([^}]+)}/g, (whole, key) => (values[key] !== undefined ? values[key] : whole));
  }

  // Texts written without `translate`: the popup menu's (diagram-js writes them itself) and the
  // properties panel's generic parts (lists, sections, FEEL switches), which fall back to their
  // own English when the panel does not hand them the service. Only these exact texts are
  // replaced, in text and in title/aria-label, so nothing the owner typed is touched.
  const BYPASS = {
    Back: "Kembali",
    Search: "Cari",
    Results: "Hasil",
    "Open entry documentation": "Buka dokumentasi",
    // "12 results found" arrives as separate text nodes: "12", "results", "found".
    result: "hasil",
    results: "hasil",
    found: "ditemukan",
    Create: KATA.Create,
    "<empty>": KATA["<empty>"],
    "Toggle section": KATA["Toggle section"],
    "Section contains edits": KATA["Section contains edits"],
    "Section contains an error": KATA["Section contains an error"],
    "Create new list item": KATA["Create new list item"],
    "Toggle list item": KATA["Toggle list item"],
    "Delete item": KATA["Delete item"],
    "Open pop-up editor": KATA["Open pop-up editor"],
    "Opened in editor": KATA["Opened in editor"],
    "Click to set a dynamic value with FEEL expression": KATA["Click to set a dynamic value with FEEL expression"],
    "Click to remove dynamic value with FEEL expression": KATA["Click to remove dynamic value with FEEL expression"],
    "FEEL expression is mandatory": KATA["FEEL expression is mandatory"],
    // CodeMirror, the FEEL editor, in the gutter of a multi-line expression.
    "Fold line": "Lipat baris",
    "Unfold line": "Bentangkan baris",
  };
  const BYPASS_PATTERNS = [
    [/^(\d+) results? found$/, "$1 hasil ditemukan"],
    [/^List contains (\d+) items?$/, "Daftar memuat $1 butir"],
  ];
  const BYPASS_ROOTS = ".djs-popup, .bio-properties-panel";

  function fixText(text) {
    const trimmed = text.trim();
    if (!trimmed) return text;
    if (Object.prototype.hasOwnProperty.call(BYPASS, trimmed)) return text.replace(trimmed, BYPASS[trimmed]);
    for (const [pattern, replacement] of BYPASS_PATTERNS) {
      if (pattern.test(trimmed)) return text.replace(trimmed, trimmed.replace(pattern, replacement));
    }
    return text;
  }

  function fixTree(node) {
    const walker = node.ownerDocument.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    for (let text = walker.nextNode(); text; text = walker.nextNode()) {
      const fixed = fixText(text.data);
      if (fixed !== text.data) text.data = fixed;
    }
    node.querySelectorAll("[title], [aria-label]").forEach((element) => {
      ["title", "aria-label"].forEach((name) => {
        const value = element.getAttribute(name);
        const fixed = value === null ? value : fixText(value);
        if (fixed !== value) element.setAttribute(name, fixed);
      });
    });
  }

  /** Keep those texts in Bahasa inside `container` (the modeler: its popups and panel). */
  function watchBypassed(container) {
    const observer = new MutationObserver((mutations) => {
      const roots = new Set();
      for (const mutation of mutations) {
        const target = mutation.target.nodeType === Node.ELEMENT_NODE ? mutation.target : mutation.target.parentElement;
        const found = target && target.closest(BYPASS_ROOTS);
        if (found) roots.add(found);
        mutation.addedNodes.forEach((node) => {
          if (node.nodeType !== Node.ELEMENT_NODE) return;
          if (node.matches(BYPASS_ROOTS)) roots.add(node);
          node.querySelectorAll(BYPASS_ROOTS).forEach((inner) => roots.add(inner));
        });
      }
      roots.forEach(fixTree);
    });
    observer.observe(container, {
      childList: true,
      subtree: true,
      characterData: true,
      attributes: true,
      attributeFilter: ["title", "aria-label"],
    });
    container.querySelectorAll(BYPASS_ROOTS).forEach(fixTree);
    return observer;
  }

  /** The links of the FEEL pop-up editor (camunda-bpmn-js passes English titles). */
  function feelPopupLinks(type) {
    if (type === "feel") {
      return [{ title: KATA["Learn FEEL expressions"], href: "https://docs.camunda.io/docs/components/modeler/feel/what-is-feel/" }];
    }
    if (type === "feelers") {
      return [
        {
          title: KATA["Learn templating"],
          href: "https://docs.camunda.io/docs/components/modeler/forms/configuration/forms-config-templating-syntax/",
        },
      ];
    }
    return [];
  }

  root.AlurModelerId = {
    KATA,
    translate,
    watchBypassed,
    feelPopupLinks,
    module: { translate: ["value", translate] },
  };
})(window);
