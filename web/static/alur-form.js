/* Renders a Camunda Form with form-js and posts it to the server as JSON plus files.
 * The server validates again; its errors are shown beside the fields and in a summary,
 * and nothing the person typed is lost. */
(function () {
  "use strict";

  function readJson(id) {
    return JSON.parse(document.getElementById(id).textContent);
  }

  function showMessage(box, text, kind) {
    box.textContent = text;
    box.className = "notice " + kind;
    box.hidden = !text;
    if (text) box.focus();
  }

  async function start(host) {
    const schema = readJson(host.dataset.schema);
    const data = readJson(host.dataset.data);
    const fieldIds = readJson(host.dataset.fieldIds);
    const button = document.getElementById(host.dataset.submit);
    const box = document.getElementById(host.dataset.messages);
    const form = new FormViewer.Form({ container: host });
    await form.importSchema(schema, data);
    AlurFormId.translateTexts(form, host);
    const dates = AlurFormId.adaptDates(form, host, schema);
    const labels = AlurFormId.labels(schema);

    button.addEventListener("click", async function (event) {
      event.preventDefault();
      const result = form.submit();
      const problems = Object.assign({}, result.errors, dates.problems());
      if (Object.keys(problems).length) {
        dates.show();
        const named = Object.keys(problems).map(function (id) { return labels.byId[id] || id; });
        showMessage(box, "Periksa kembali isian yang ditandai: " + named.join(", ") + ".", "error");
        return;
      }
      const body = new FormData();
      body.append("csrf_token", host.dataset.csrf);
      body.append("data", JSON.stringify(result.data));
      for (const [ref, files] of result.files || new Map()) {
        for (const file of files) body.append(ref, file, file.name);
      }
      button.disabled = true;
      showMessage(box, "Mengirim…", "info");
      let reply;
      try {
        const response = await fetch(host.dataset.action, {
          method: "POST",
          body: body,
          headers: { "X-CSRF-Token": host.dataset.csrf, Accept: "application/json" },
          credentials: "same-origin",
        });
        reply = await response.json().catch(() => ({ message: "Terjadi kesalahan di server (" + response.status + ")." }));
        if (response.ok && reply.redirect) {
          window.location.assign(reply.redirect);
          return;
        }
      } catch (error) {
        reply = { message: "Tidak dapat menghubungi server. Isian Anda masih ada; coba kirim lagi." };
      }
      button.disabled = false;
      const errors = reply.errors || {};
      const byId = {};
      const lines = [];
      for (const [key, message] of Object.entries(errors)) {
        if (fieldIds[key]) byId[fieldIds[key]] = [message];
        lines.push(key === "_form" ? message : (labels.byKey[key] || "Isian") + ": " + message);
      }
      if (Object.keys(byId).length) form._setState({ errors: byId });
      showMessage(box, [reply.message || "Gagal mengirim."].concat(lines).join(" "), "error");
    });
    if (host.dataset.preview) {
      // The drafter sees the letter their unsaved text makes before sending it up.
      const previewButton = button.parentNode.querySelector("[data-preview-button]");
      previewButton.addEventListener("click", async function (event) {
        event.preventDefault();
        const body = new FormData();
        body.append("csrf_token", host.dataset.csrf);
        body.append("data", JSON.stringify(form.submit().data || {}));
        const opened = window.open("", "_blank");
        showMessage(box, "Menyiapkan pratinjau…", "info");
        try {
          const response = await fetch(host.dataset.preview, {
            method: "POST",
            body: body,
            headers: { "X-CSRF-Token": host.dataset.csrf },
            credentials: "same-origin",
          });
          if (!response.ok) throw new Error(await response.text());
          const url = URL.createObjectURL(await response.blob());
          if (opened) opened.location = url; else window.location.assign(url);
          showMessage(box, "", "info");
        } catch (error) {
          if (opened) opened.close();
          showMessage(box, error.message || "Pratinjau tidak dapat dibuat.", "error");
        }
      });
    }
    host.dataset.ready = "true";
  }

  document.querySelectorAll("[data-alur-form]").forEach(function (host) {
    start(host).catch(function (error) {
      const box = document.getElementById(host.dataset.messages);
      showMessage(box, "Formulir tidak dapat ditampilkan: " + error.message, "error");
    });
  });
})();
