// Sends the sign-in form without leaving the page, so a slow or dropped network never loses what was typed.
// The same request key goes with every retry: the server makes one visit however often it arrives.
(() => {
  const form = document.getElementById('signin');
  if (!form) return;
  const button = form.querySelector('button');
  const general = document.getElementById('err-form');
  const clear = () => form.querySelectorAll('.err').forEach((e) => { e.textContent = ''; });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (button.disabled) return;
    clear();
    form.querySelectorAll('.bad').forEach((e) => e.classList.remove('bad'));
    const label = button.textContent;
    button.disabled = true;
    button.textContent = form.dataset.sending;
    try {
      const response = await fetch(form.action, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: new URLSearchParams(new FormData(form)),
      });
      const answer = await response.json();
      if (answer.ok) { window.location.replace(answer.result_url); return; }
      const slot = document.getElementById('err-' + answer.field) || general;
      slot.textContent = answer.message;
      const field = slot.closest('.field');
      if (field) { field.classList.add('bad'); field.scrollIntoView({ block: 'center' }); }
    } catch (error) {
      general.textContent = form.dataset.offline;
    }
    button.disabled = false;
    button.textContent = label;
  });
})();
