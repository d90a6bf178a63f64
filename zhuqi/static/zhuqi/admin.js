// Names for the admin's inputs that Django leaves unnamed for assistive technology: the date and the time of a
// split date-time field (its label names the field, not either input), and the searchable select an autocomplete
// field becomes (select2's combobox), each named after its field's label.
window.addEventListener("load", () => {
  const labelOf = (row) => {
    const label = row && row.querySelector("label");
    return label ? label.textContent.replace(/[:：]\s*$/, "").trim() : "";
  };
  for (const p of document.querySelectorAll("p.datetime")) {
    const field = labelOf(p.closest(".form-row, .fieldBox, div"));
    for (const input of p.querySelectorAll("input")) {
      if (input.labels && input.labels.length) continue;
      const part = (input.previousSibling && input.previousSibling.textContent || "").replace(/[:：]\s*$/, "").trim();
      input.setAttribute("aria-label", [field, part].filter(Boolean).join(" "));
    }
  }

});

// select2 names its combobox by the choice shown, which is nothing while the field is empty; the admin builds the
// comboboxes at some point of the page's loading, so each is named as it appears
const nameCombobox = (box) => {
  const container = box.closest(".select2");
  const select = container && container.previousElementSibling;
  const label = select && select.id && document.querySelector(`label[for="${select.id}"]`);
  if (!label) return;
  const name = label.textContent.replace(/[:：]\s*$/, "").trim();
  const shown = box.querySelector("[role=textbox]");
  box.removeAttribute("aria-labelledby");
  box.setAttribute("aria-label", shown && shown.textContent.trim() ? `${name} ${shown.textContent.trim()}` : name);
  if (shown) shown.setAttribute("aria-label", name);
};
document.querySelectorAll(".select2-selection[role=combobox]").forEach(nameCombobox);
new MutationObserver((changes) => {
  for (const change of changes) {
    for (const node of change.addedNodes) {
      if (node.nodeType === 1) node.querySelectorAll(".select2-selection[role=combobox]").forEach(nameCombobox);
    }
  }
}).observe(document.body, {childList: true, subtree: true});
