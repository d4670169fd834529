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
