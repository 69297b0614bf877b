// Where a case stands: the SOP diagram in the bpmn-js viewer (read-only, vendored from npm),
// with the steps done, the current and the late ones and the flows taken marked
// (web/templates/_progress.html; the marks come from alur/progress.py).
//
// On a wide screen the whole diagram fits its box (never drawn smaller than MIN_SCALE); on a
// phone it is drawn at PHONE_SCALE at least, so its words stay readable: the box grows wider
// than the screen, its frame scrolls sideways (the page does not) and opens on the current
// step. The buttons zoom; the diagram can then be dragged.
(function () {
  "use strict";
  const SVG_NS = "http://www.w3.org/2000/svg";
  const MARKS = {
    done: "alur-selesai",
    current: "alur-sedang",
    overdue: "alur-terlambat",
    taken: "alur-ditempuh",
  };
  const ARROW = "alur-panah-ditempuh";
  const MIN_SCALE = 0.35;
  const PHONE_SCALE = 0.6;
  const PHONE_WIDTH = 640;
  const PAD = 24;

  // A taken flow's arrowhead in the flow's colour (bpmn-js draws its own in black).
  function addArrow(host) {
    const svg = host.querySelector("svg");
    if (!svg || svg.querySelector("#" + ARROW)) return;
    let defs = svg.querySelector("defs");
    if (!defs) {
      defs = document.createElementNS(SVG_NS, "defs");
      svg.insertBefore(defs, svg.firstChild);
    }
    const marker = document.createElementNS(SVG_NS, "marker");
    const attrs = { id: ARROW, viewBox: "0 0 20 20", refX: "11", refY: "10" };
    Object.assign(attrs, { markerWidth: "10", markerHeight: "10", orient: "auto" });
    Object.entries(attrs).forEach(([key, value]) => marker.setAttribute(key, value));
    const path = document.createElementNS(SVG_NS, "path");
    path.setAttribute("d", "M 1 5 L 11 10 L 1 15 Z");
    path.setAttribute("class", "alur-panah");
    marker.appendChild(path);
    defs.appendChild(marker);
  }

  // Size the box to the diagram at the largest scale that fits (see MIN_SCALE, PHONE_SCALE).
  function layout(host, canvas) {
    const inner = canvas.viewbox().inner;
    const room = host.parentElement.clientWidth;
    const fit = Math.min(1, (room - PAD) / (inner.width + PAD));
    const scale = Math.max(room < PHONE_WIDTH ? PHONE_SCALE : MIN_SCALE, fit);
    const wanted = Math.ceil(scale * (inner.width + PAD));
    host.style.width = wanted > room ? wanted + "px" : "";
    host.style.height = Math.ceil(scale * (inner.height + PAD) + PAD) + "px";
    canvas.resized();
    const outer = canvas.viewbox().outer;
    canvas.viewbox({
      x: inner.x + inner.width / 2 - outer.width / scale / 2,
      y: inner.y + inner.height / 2 - outer.height / scale / 2,
      width: outer.width / scale,
      height: outer.height / scale,
    });
  }

  // On a narrow screen, say that the frame scrolls and scroll it to the step in focus.
  function reveal(host, canvas, registry, focus) {
    const frame = host.parentElement;
    const hint = host.closest(".progress").querySelector(".progress-hint");
    const scrolls = frame.scrollWidth > frame.clientWidth;
    if (hint) hint.hidden = !scrolls;
    const element = focus && registry.get(focus);
    if (!element || !scrolls) return;
    const box = canvas.viewbox();
    const x = (element.x + element.width / 2 - box.x) * box.scale;
    frame.scrollLeft = Math.max(0, x - frame.clientWidth / 2);
  }

  async function show(host) {
    const source = document.getElementById(host.dataset.source);
    const section = host.closest(".progress");
    const failed = section && section.querySelector(".progress-failed");
    try {
      if (!source || typeof BpmnNavigatedViewer === "undefined") throw new Error("no viewer");
      const data = JSON.parse(source.textContent);
      const viewer = new BpmnNavigatedViewer({ container: host, zoomScroll: { enabled: false } });
      await viewer.importXML(data.xml);
      const canvas = viewer.get("canvas");
      const registry = viewer.get("elementRegistry");
      addArrow(host);
      const svg = host.querySelector("svg");
      const label = "Diagram SOP; rinciannya ada di daftar langkah di bawah.";
      if (svg) svg.setAttribute("aria-label", label);
      Object.entries(MARKS).forEach(([key, marker]) => {
        (data[key] || []).forEach((id) => {
          if (registry.get(id)) canvas.addMarker(id, marker);
        });
      });
      const whole = () => {
        layout(host, canvas);
        reveal(host, canvas, registry, data.focus);
      };
      whole();
      section.querySelectorAll("[data-zoom]").forEach((button) => {
        button.addEventListener("click", () => {
          const how = button.dataset.zoom;
          if (how === "fit") whole();
          else canvas.zoom(canvas.zoom() * (how === "in" ? 1.25 : 0.8), "auto");
        });
      });
      // A phone's address bar changes the height only: keep what the person zoomed to then.
      let width = window.innerWidth;
      window.addEventListener("resize", () => {
        if (window.innerWidth === width) return;
        width = window.innerWidth;
        whole();
      });
      host.dataset.ready = "true";
    } catch (error) {
      if (failed) failed.hidden = false;
      host.hidden = true;
      host.dataset.ready = "error";
      console.error("alur-progress:", error);
    }
  }

  function start() {
    document.querySelectorAll("[data-alur-progress]").forEach(show);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
