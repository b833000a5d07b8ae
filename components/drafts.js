// Drafts kept on the phone: what is typed into a form marked data-draft is saved in localStorage at each keystroke
// and put back into its fields when the form is drawn again — after a reload, a reconnect, or a server that crashed
// and came back — until the page says the form was saved (acDraft.clear). The form's request key travels with the
// draft, so a form sent again after a lost answer is still one visit, one complaint.
(() => {
  if (window.acDraft) return;
  const PREFIX = "ac-draft:";
  const MAX_AGE_MS = 3 * 24 * 3600 * 1000;
  const fields = (form) =>
    Array.from(form.querySelectorAll("input, textarea")).filter(
      (el) => !["file", "hidden", "checkbox", "radio", "button", "submit"].includes(el.type)
    );
  const names = (form) => fields(form).map((el, i) => [el, (el.getAttribute("aria-label") || "") + "#" + i]);
  const read = (key) => {
    try {
      const draft = JSON.parse(localStorage.getItem(PREFIX + key) || "null");
      if (draft && Date.now() - draft.at < MAX_AGE_MS) return draft;
    } catch (e) {}
    localStorage.removeItem(PREFIX + key);
    return null;
  };
  function save(form) {
    const data = {};
    let typed = false;
    for (const [el, name] of names(form)) {
      if (el.readOnly || el.disabled) continue;
      data[name] = el.value;
      typed = typed || !!el.value;
    }
    const old = read(form.dataset.draft);
    const key = (old && old.key) || form.dataset.draftKey || "";
    if (typed || old) localStorage.setItem(PREFIX + form.dataset.draft, JSON.stringify({ at: Date.now(), data, key }));
  }
  function restore(form) {
    const draft = read(form.dataset.draft);
    if (!draft) return;
    let restored = 0;
    for (const [el, name] of names(form)) {
      const value = draft.data[name];
      if (value && !el.value && !el.readOnly) {
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
      if (form && e.isTrusted) save(form);
    },
    true
  );
  const look = () =>
    document.querySelectorAll("[data-draft]:not([data-draft-seen])").forEach((form) => {
      form.dataset.draftSeen = "1";
      setTimeout(() => restore(form), 50); // the fields' own values arrive with them
    });
  new MutationObserver(look).observe(document.documentElement, { childList: true, subtree: true });
  window.acDraft = { clear: (key) => localStorage.removeItem(PREFIX + key) };
})();
