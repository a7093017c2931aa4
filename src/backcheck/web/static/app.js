// backcheck web app: small progressive enhancements. Every page works without this script.
(function () {
  "use strict";

  function fmtSize(n) {
    return n >= 1048576 ? (n / 1048576).toFixed(1) + " MB" : Math.max(1, Math.round(n / 1024)) + " KB";
  }

  // Drag and drop onto a drop zone fills its file input and lists the files.
  function listFiles(zone, input) {
    var out = zone.querySelector("[data-chosen]");
    if (!out) return;
    out.textContent = "";
    Array.prototype.forEach.call(input.files, function (f) {
      var li = document.createElement("li");
      li.textContent = f.name + " (" + fmtSize(f.size) + ")";
      out.appendChild(li);
    });
  }
  document.querySelectorAll("[data-dropzone]").forEach(function (zone) {
    var input = zone.querySelector("input[type=file]");
    if (!input) return;
    input.addEventListener("change", function () { listFiles(zone, input); });
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function () { zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (e) {
      e.preventDefault();
      if (!e.dataTransfer || !e.dataTransfer.files.length) return;
      var dt = new DataTransfer();
      var many = input.multiple;
      Array.prototype.forEach.call(e.dataTransfer.files, function (f, i) {
        if (many || i === 0) dt.items.add(f);
      });
      input.files = dt.files;
      listFiles(zone, input);
    });
  });

  // Uploads: send with XMLHttpRequest to show progress, then go to the job page.
  document.querySelectorAll("form[data-upload]").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      if (!window.FormData || !window.XMLHttpRequest) return;
      e.preventDefault();
      var bar = form.querySelector("[data-progress]");
      var text = form.querySelector("[data-progress-text]");
      var error = form.querySelector("[data-upload-error]");
      var button = form.querySelector("button[type=submit]");
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("Accept", "application/json");
      if (error) error.hidden = true;
      if (bar) bar.hidden = false;
      if (button) button.disabled = true;
      xhr.upload.addEventListener("progress", function (ev) {
        if (!ev.lengthComputable || !bar) return;
        var pct = Math.round((100 * ev.loaded) / ev.total);
        bar.querySelector("progress").value = pct;
        if (text) text.textContent = pct < 100 ? "Uploading " + pct + "%" : "Checking the files…";
      });
      xhr.addEventListener("load", function () {
        var doc = null;
        try { doc = JSON.parse(xhr.responseText); } catch (err) { doc = null; }
        if (xhr.status === 202 && doc && doc.url) { window.location.assign(doc.url); return; }
        if (button) button.disabled = false;
        if (bar) bar.hidden = true;
        var message = doc && doc.error ? doc.error.message : "The upload failed (" + xhr.status + ").";
        if (error) { error.textContent = message; error.hidden = false; error.focus && error.focus(); }
      });
      xhr.addEventListener("error", function () {
        if (button) button.disabled = false;
        if (error) { error.textContent = "The upload was interrupted: check the connection and try again."; error.hidden = false; }
      });
      xhr.send(new FormData(form));
    });
  });

  // Body map: tapping a region chooses it; choosing a region in the list lights it up.
  var map = document.querySelector("[data-bodymap]");
  if (map) {
    var radios = document.querySelectorAll("input[name=region]");
    var light = function () {
      var chosen = document.querySelector("input[name=region]:checked");
      map.querySelectorAll("[data-region]").forEach(function (p) {
        p.classList.toggle("on", !!chosen && p.getAttribute("data-region") === chosen.value);
      });
    };
    map.querySelectorAll("[data-region]").forEach(function (p) {
      p.addEventListener("click", function () {
        var r = document.querySelector("input[name=region][value='" + p.getAttribute("data-region") + "']");
        if (r) { r.checked = true; r.dispatchEvent(new Event("change", { bubbles: true })); }
      });
    });
    radios.forEach(function (r) { r.addEventListener("change", light); });
    light();
  }

  // The 0-10 slider shows its value.
  document.querySelectorAll("[data-level]").forEach(function (slider) {
    var out = document.querySelector("[data-level-out]");
    var show = function () { if (out) out.textContent = slider.value; };
    slider.addEventListener("input", show);
    show();
  });

  // Sign-up: fill the time zone from the browser.
  document.querySelectorAll("[data-detect-tz]").forEach(function (input) {
    try {
      var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      if (zone) input.value = zone;
    } catch (err) { /* keep the server's default */ }
  });

  // Selects that change the page submit their form.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (s) {
    s.addEventListener("change", function () { s.form.submit(); });
  });
})();
