// Small enhancements only: every page works without this file.

// "Copy" buttons for one-time secrets (recovery code, new API token). Hidden until JS runs,
// because without JS there is nothing for them to do.
for (const button of document.querySelectorAll("button[data-copy]")) {
  const target = document.getElementById(button.dataset.copy);
  if (!target || !navigator.clipboard) continue;
  button.hidden = false;
  const label = button.textContent;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(target.textContent.trim());
      button.textContent = "Copied";
    } catch {
      button.textContent = "Please copy it by hand";
    }
    setTimeout(() => { button.textContent = label; }, 2500);
  });
}

// Time zone: filled in from the device at sign-up, and suggested in settings.
const deviceZone = (() => {
  try { return Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch { return ""; }
})();
// Printing needs script only for the button; the browser's own print works without it.
for (const button of document.querySelectorAll("button[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}

for (const input of document.querySelectorAll("input[data-detect-time-zone]")) {
  if (!input.value) input.value = deviceZone;
}
for (const hint of document.querySelectorAll("[data-device-time-zone]")) {
  if (deviceZone) hint.textContent = `This device says ${deviceZone}.`;
}

// Autosave: every few seconds, if something changed, the draft is saved (encrypted) on the
// server, so a closed tab or a dead battery loses nothing. Saving the form still works without it.
const writeForm = document.querySelector("form[data-draft-key]");
if (writeForm) {
  const key = writeForm.dataset.draftKey;
  const csrf = writeForm.querySelector("input[name=csrf_token]")?.value ?? "";
  const status = writeForm.querySelector("[data-draft-status]");
  const snapshot = () => {
    const d = new FormData(writeForm);
    const mood = d.get("mood");
    return JSON.stringify({
      title: d.get("title") ?? "",
      body: d.get("body") ?? "",
      tags: d.get("tags") ?? "",
      entry_date: d.get("entry_date") ?? "",
      mood: mood ? Number(mood) : null,
      prompt_id: d.get("prompt_id") || null,
    });
  };
  let saved = snapshot();
  let busy = false;
  let submitting = false;
  writeForm.addEventListener("submit", () => { submitting = true; });
  const save = async () => {
    const now = snapshot();
    if (now === saved || busy || submitting) return;
    busy = true;
    try {
      const res = await fetch(`/api/v1/drafts/${encodeURIComponent(key)}`, {
        method: "PUT",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
        credentials: "same-origin",
        body: now,
      });
      if (res.ok) {
        saved = now;
        const time = new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
        if (status) status.textContent = `Draft saved at ${time}.`;
      } else if (status) {
        status.textContent = "We couldn't save a draft just now. Your words are still here.";
      }
    } catch {
      if (status) status.textContent = "You seem to be offline. Your words are still here.";
    } finally {
      busy = false;
    }
  };
  setInterval(save, 3000);
}

// Check-in feelings: the search box filters the list by word or meaning, and a corner of the
// grid shows only its feelings. Without this script the whole list shows and the grid's links
// jump to each part of it.
const feelingList = document.getElementById("feeling-list");
const feelingSearch = document.querySelector("[data-feeling-search]");
if (feelingList && feelingSearch) {
  feelingSearch.hidden = false;
  const input = feelingSearch.querySelector("input");
  const count = document.getElementById("feeling-count");
  const tiles = document.querySelectorAll(".feeling-grid a[data-quadrant]");
  let corner = "";
  const apply = () => {
    const q = input.value.trim().toLowerCase();
    let shown = 0;
    for (const group of feelingList.querySelectorAll(".feeling-group")) {
      let inGroup = 0;
      for (const item of group.querySelectorAll("li[data-feeling]")) {
        const checked = item.querySelector("input")?.checked;
        const match = (!q || item.dataset.feeling.toLowerCase().includes(q)) && (!corner || group.dataset.quadrant === corner);
        item.hidden = !(match || checked);
        if (!item.hidden) inGroup++;
      }
      group.hidden = inGroup === 0;
      shown += inGroup;
    }
    if (count) {
      count.textContent = q || corner ? (shown === 0 ? "No feelings match. You can use your own words below." : `${shown} ${shown === 1 ? "feeling" : "feelings"} shown.`) : "";
    }
  };
  input.addEventListener("input", apply);
  for (const tile of tiles) {
    tile.setAttribute("aria-pressed", "false");
    tile.setAttribute("role", "button");
    tile.addEventListener("click", (event) => {
      event.preventDefault();
      corner = corner === tile.dataset.quadrant ? "" : tile.dataset.quadrant;
      for (const t of tiles) t.setAttribute("aria-pressed", String(t.dataset.quadrant === corner));
      apply();
    });
    tile.addEventListener("keydown", (event) => {
      if (event.key === " ") { event.preventDefault(); tile.click(); }
    });
  }
}

// Offline crisis kit and installing: the service worker needs HTTPS (or this machine).
const signedIn = document.body.dataset.signedIn === "true";
if ("serviceWorker" in navigator && window.isSecureContext) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
  const forget = document.querySelector("[data-forget-device]") !== null;
  (async () => {
    // Signed out: what was kept for that person goes (their safety plan, their crisis page).
    if (forget && "caches" in window) {
      await caches.delete("tj-plan");
      await caches.delete("tj-kit");
      try { localStorage.removeItem("tj-keep-plan"); } catch { /* storage may be off */ }
    }
    const reg = await navigator.serviceWorker.ready;
    reg.active?.postMessage({ type: "refresh-kit", signedIn, force: forget });
  })().catch(() => {});
}

// "Keep my safety plan on this device": only with this explicit choice is the plan stored.
const keepPlan = document.querySelector("input[data-keep-plan]");
if (keepPlan && "caches" in window && "serviceWorker" in navigator && window.isSecureContext) {
  const box = keepPlan.closest("[data-keep-plan-box]");
  const status = box?.querySelector("[data-keep-plan-status]");
  const say = (text) => { if (status) status.textContent = text; };
  if (box) box.hidden = false;
  caches.has("tj-plan").then((kept) => { keepPlan.checked = kept; }).catch(() => {});
  keepPlan.addEventListener("change", async () => {
    try {
      if (keepPlan.checked) {
        const res = await fetch("/safety-plan", { credentials: "same-origin", cache: "no-store" });
        if (!res.ok || res.redirected) throw new Error("not kept");
        await (await caches.open("tj-plan")).put("/safety-plan", res);
        try { localStorage.setItem("tj-keep-plan", "1"); } catch { /* storage may be off */ }
        say("Kept on this device. Your plan opens here even without a connection.");
      } else {
        await caches.delete("tj-plan");
        try { localStorage.removeItem("tj-keep-plan"); } catch { /* storage may be off */ }
        say("Removed from this device. It's still safe in your journal.");
      }
    } catch {
      keepPlan.checked = !keepPlan.checked;
      say("That didn't work just now. Please try again when you have a connection.");
    }
  });
}

// Install: Chromium-based browsers offer a prompt we can show from a button; others explain.
let installPrompt = null;
const installButtons = document.querySelectorAll("button[data-install]");
window.addEventListener("beforeinstallprompt", (event) => {
  event.preventDefault();
  installPrompt = event;
  for (const button of installButtons) button.hidden = false;
});
for (const button of installButtons) {
  button.addEventListener("click", async () => {
    if (!installPrompt) return;
    installPrompt.prompt();
    await installPrompt.userChoice.catch(() => null);
    installPrompt = null;
    button.hidden = true;
  });
}
