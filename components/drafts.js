// Drafts kept on the phone: what is typed into a form marked data-draft is saved in localStorage at each keystroke
// and put back into its fields when the form is drawn again — after a reload, a reconnect, or a server that crashed
// and came back — until the page says the form was saved (acDraft.clear). Each field's value as the server drew it
// is kept with the draft: a field still showing that gets the draft back (a pre-filled note edited, too), one showing
// something newer (saved since, elsewhere) keeps it. The form's request key travels with the draft, so a form sent
// again after a lost answer is still one visit, one complaint.
(() => {
  if (window.acDraft) return;
  const PREFIX = "ac-draft:";
  const MAX_AGE_MS = 3 * 24 * 3600 * 1000;
  const fields = (form) =>
    Array.from(form.querySelectorAll("input, textarea")).filter(
      (el) => !["file", "hidden", "checkbox", "radio", "button", "submit"].includes(el.type)
    );
  const names = (form) => fields(form).map((el, i) => [el, (el.getAttribute("aria-label") || "") + "#" + i]);
  const drawn = new WeakMap(); // each field's value as the server drew it
  const touched = new WeakSet(); // fields typed into since the form was drawn or saved
  const read = (key) => {
    try {
      const draft = JSON.parse(localStorage.getItem(PREFIX + key) || "null");
      if (draft && Date.now() - draft.at < MAX_AGE_MS) return draft;
    } catch (e) {}
    localStorage.removeItem(PREFIX + key);
    return null;
  };
  function save(form) {
    const old = read(form.dataset.draft);
    // fields not drawn now (a part of the form drawn when opened, like the record's 更多资料) keep what the draft had
    const data = { ...(old && old.data) };
    const was = { ...(old && old.was) };
    let typed = false;
    for (const [el, name] of names(form)) {
      if (el.readOnly || el.disabled) continue;
      data[name] = el.value;
      was[name] = drawn.get(el) || "";
      typed = typed || el.value !== was[name];
    }
    const key = (old && old.key) || form.dataset.draftKey || "";
    if (typed || old) localStorage.setItem(PREFIX + form.dataset.draft, JSON.stringify({ at: Date.now(), data, was, key }));
  }
  function restore(form, only) {
    const draft = read(form.dataset.draft);
    if (!draft) return;
    let restored = 0;
    for (const [el, name] of names(form)) {
      if (only && !only.includes(el)) continue;
      const value = draft.data[name];
      const was = (draft.was || {})[name] || ""; // drafts from before this was kept: only into empty fields
      if (value !== undefined && value !== el.value && el.value === was && !el.readOnly) {
        el.value = value;
        el.dispatchEvent(new Event("input", { bubbles: true })); // Vue's v-model, and so the server, get it too
        restored += 1;
      }
    }
    if (restored || (draft.key && draft.key !== form.dataset.draftKey)) {
      form.dispatchEvent(new CustomEvent("draft", { detail: { key: draft.key, restored } }));
    }
  }
  document.addEventListener(
    "input",
    (e) => {
      const form = e.target.closest && e.target.closest("[data-draft]");
      if (!form || !e.isTrusted) return;
      touched.add(e.target);
      save(form);
    },
    true
  );
  // a field typed into before its drawn value is taken (a quick thumb on a part just opened) was drawn empty
  const remember = (els) => els.forEach((el) => touched.has(el) || drawn.set(el, el.value));
  const look = () =>
    document.querySelectorAll("[data-draft]").forEach((form) => {
      const fresh = fields(form).filter((el) => !drawn.has(el)); // drawn now, or again (a card redrawn after a save)
      const first = !form.dataset.draftSeen;
      if (!fresh.length && !first) return;
      fresh.forEach((el) => drawn.set(el, ""));
      form.dataset.draftSeen = "1";
      setTimeout(() => {
        remember(fresh); // the fields' own values arrive with them
        restore(form, first ? null : fresh); // fields drawn later (a part of the form opened) get their part
      }, 50);
    });
  new MutationObserver(look).observe(document.documentElement, { childList: true, subtree: true });
  window.acDraft = {
    clear: (key) => {
      localStorage.removeItem(PREFIX + key);
      document.querySelectorAll("[data-draft]").forEach((form) => {
        if (form.dataset.draft !== key) return;
        fields(form).forEach((el) => touched.delete(el)); // what they show now is what was saved
        remember(fields(form));
      });
    },
  };
})();
