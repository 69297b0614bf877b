/* Renders a Camunda Form with form-js and posts it to the server as JSON plus files.
 * The server validates again; its errors are shown beside the fields and in a summary,
 * and nothing the person typed is lost.
 *
 * A page may add plain controls outside the form (``data-extra`` names the element that
 * holds them, e.g. the channel staff record when registering a case): each named control is
 * posted beside ``data`` under its name, a required one left empty is refused with its
 * ``data-required-message``, and the server's error for that name shows beside it. */
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
    const extra = extraControls(host);

    button.addEventListener("click", async function (event) {
      event.preventDefault();
      const result = form.submit();
      const problems = Object.assign({}, result.errors, dates.problems());
      const missing = extra.missing();
      extra.show(missing);
      if (Object.keys(problems).length || Object.keys(missing).length) {
        dates.show();
        const named = Object.keys(missing).map(extra.label).concat(
          Object.keys(problems).map(function (id) { return labels.byId[id] || id; }));
        showMessage(box, "Periksa kembali isian yang ditandai: " + named.join(", ") + ".", "error");
        return;
      }
      const body = new FormData();
      body.append("csrf_token", host.dataset.csrf);
      body.append("data", JSON.stringify(result.data));
      for (const control of extra.controls) body.append(control.name, control.value);
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
        const label = extra.has(key) ? extra.label(key) : labels.byKey[key] || "Isian";
        lines.push(key === "_form" ? message : label + ": " + message);
      }
      extra.show(errors);
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

  // The page's own controls posted beside the form (``data-extra``): none if it has none.
  function extraControls(host) {
    const holder = host.dataset.extra ? document.getElementById(host.dataset.extra) : null;
    const controls = holder ? Array.from(holder.querySelectorAll("[name]")) : [];
    const byName = {};
    controls.forEach(function (control) { byName[control.name] = control; });
    return {
      controls: controls,
      has: function (name) { return name in byName; },
      label: function (name) {
        const control = byName[name];
        const label = control && control.labels && control.labels[0];
        return label ? label.textContent.replace("*", "").trim() : name;
      },
      missing: function () {
        const found = {};
        controls.forEach(function (control) {
          if (control.required && !control.value.trim()) {
            found[control.name] = control.dataset.requiredMessage || "Wajib diisi.";
          }
        });
        return found;
      },
      // Each control's error beside it (its aria-errormessage element), or none.
      show: function (errors) {
        controls.forEach(function (control) {
          const message = errors[control.name] || "";
          const beside = document.getElementById(control.getAttribute("aria-errormessage"));
          control.setAttribute("aria-invalid", message ? "true" : "false");
          control.closest(".field")?.classList.toggle("has-error", !!message);
          if (beside) {
            beside.textContent = message;
            beside.hidden = !message;
          }
        });
      },
    };
  }

  document.querySelectorAll("[data-alur-form]").forEach(function (host) {
    start(host).catch(function (error) {
      const box = document.getElementById(host.dataset.messages);
      showMessage(box, "Formulir tidak dapat ditampilkan: " + error.message, "error");
    });
  });
})();
