// The process owners' modeler: bpmn-js for Camunda 8 (vendored from npm), saving a draft to
// the server, which lints it; findings are drawn on the diagram; a clean draft can be deployed.
(function (root) {
  "use strict";
  const host = document.getElementById("modeler");
  if (!host || typeof BpmnModeler === "undefined") return;

  const status = document.getElementById("status");
  const saveButton = document.getElementById("simpan");
  const deployButton = document.getElementById("terapkan");
  const findingsBox = document.getElementById("temuan");
  const findingsList = document.getElementById("daftar-temuan");
  // Menus, tooltips and the properties panel in Bahasa (alur-modeler-id.js, loaded before).
  const bahasa = root.AlurModelerId;
  const propertiesPanel = { parent: "#properties" };
  if (bahasa) propertiesPanel.getFeelPopupLinks = bahasa.feelPopupLinks;
  const modeler = new BpmnModeler({
    container: "#canvas",
    propertiesPanel,
    additionalModules: bahasa ? [bahasa.module] : [],
  });
  if (bahasa) bahasa.watchBypassed(host);
  const overlays = modeler.get("overlays");
  const canvas = modeler.get("canvas");
  const canvasBox = document.getElementById("canvas");

  // The palette gets a column of its own beside the canvas, so it never covers the diagram.
  const paletteColumn = document.getElementById("palette");
  const palette = canvasBox.querySelector(".djs-palette");
  if (paletteColumn && palette) paletteColumn.appendChild(palette);
  if (typeof ResizeObserver !== "undefined") new ResizeObserver(() => canvas.resized()).observe(canvasBox);
  const registry = modeler.get("elementRegistry");
  let draft = null;
  let marked = [];

  function say(text, kind) {
    status.textContent = text;
    status.className = kind || "";
  }

  function clearFindings() {
    overlays.remove({ type: "alur-temuan" });
    marked.forEach((id) => canvas.removeMarker(id, "alur-temuan"));
    marked = [];
    findingsList.replaceChildren();
    findingsBox.hidden = true;
  }

  function showFindings(findings) {
    clearFindings();
    if (!findings.length) return;
    findingsBox.hidden = false;
    const perElement = new Map();
    findings.forEach((finding) => {
      const item = document.createElement("li");
      item.textContent = `${finding.element} (baris ${finding.line}): ${finding.message}`;
      item.dataset.element = finding.element;
      findingsList.appendChild(item);
      if (registry.get(finding.element)) {
        const messages = perElement.get(finding.element) || [];
        messages.push(finding.message);
        perElement.set(finding.element, messages);
      }
    });
    perElement.forEach((messages, id) => {
      canvas.addMarker(id, "alur-temuan");
      marked.push(id);
      const badge = document.createElement("div");
      badge.className = "alur-temuan-lencana";
      badge.textContent = String(messages.length);
      badge.title = messages.join("\n");
      overlays.add(id, "alur-temuan", { position: { top: -12, right: 12 }, html: badge });
    });
  }

  /** The whole diagram in view, centred, with a little room around it. */
  function fit() {
    canvas.resized();
    canvas.zoom("fit-viewport", "auto");
    const scale = canvas.zoom();
    if (scale < 1) canvas.zoom(scale * 0.95, "auto");
  }

  async function load() {
    const response = await fetch(host.dataset.xml, { credentials: "same-origin" });
    if (!response.ok) {
      say("Diagram tidak dapat dimuat.", "galat");
      return;
    }
    await modeler.importXML(await response.text());
    fit();
    say("Diagram dimuat.");
  }

  async function post(url, body, type) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRF-Token": host.dataset.csrf, "Content-Type": type, Accept: "application/json" },
      body,
    });
    let data = {};
    try {
      data = await response.json();
    } catch (error) {
      data = { error: `Server menjawab ${response.status}.` };
    }
    return { ok: response.ok, data };
  }

  saveButton.addEventListener("click", async () => {
    saveButton.disabled = true;
    deployButton.disabled = true;
    say("Menyimpan dan memeriksa…");
    try {
      const { xml } = await modeler.saveXML({ format: true });
      const { ok, data } = await post(host.dataset.save, xml, "application/xml");
      if (!ok) {
        draft = null;
        say(data.error || "Diagram tidak dapat disimpan.", "galat");
        return;
      }
      draft = data.draft;
      showFindings(data.findings);
      if (data.deployable) {
        deployButton.disabled = false;
        say("Tersimpan. Tidak ada temuan: diagram siap diterapkan.", "berhasil");
      } else {
        say(`Tersimpan dengan ${data.findings.length} temuan: perbaiki sebelum diterapkan.`, "galat");
      }
    } finally {
      saveButton.disabled = false;
    }
  });

  deployButton.addEventListener("click", async () => {
    if (draft === null) return;
    deployButton.disabled = true;
    say("Menerapkan…");
    const { ok, data } = await post(host.dataset.deploy, JSON.stringify({ draft }), "application/json");
    if (ok) {
      say(data.message, "berhasil");
    } else {
      if (data.findings) showFindings(data.findings);
      say(data.error || "Diagram tidak dapat diterapkan.", "galat");
    }
  });

  modeler.get("eventBus").on("commandStack.changed", () => {
    deployButton.disabled = true;
    draft = null;
    say("Ada perubahan yang belum disimpan.");
  });

  load().catch((error) => say(`Diagram tidak dapat dibuka: ${error.message}`, "galat"));
})(window);
