// The share page's copy button: copies the new link, and says so. Where the clipboard API is
// not offered (plain http on a home network), the link is selected for a long-press copy.
for (const button of document.querySelectorAll("[data-copy]")) {
  button.addEventListener("click", async () => {
    const field = document.getElementById(button.dataset.copy);
    field.focus();
    field.select();
    try {
      await navigator.clipboard.writeText(field.value);
      button.textContent = "Copied";
    } catch {
      button.textContent = document.execCommand("copy") ? "Copied" : "Selected: copy it now";
    }
  });
}
