/* kic: no lost work. Loaded on every page of a logged-in user (no inline scripts: the CSP allows 'self').
 *
 * 1. The session warning: two minutes before the idle timeout a banner offers "Ingelogd blijven";
 *    when the session has ended it says so and offers to log in again, back to this page.
 * 2. Drafts (a form with data-concept, the checklist of a review): every change is kept in this tab's
 *    sessionStorage at once and saved to the server as a concept a moment later. After the session ended
 *    (the reviewer read dossiers elsewhere for half an hour), logging in again brings the reviewer back
 *    to the page, where the answers that did not reach the server are put back and saved.
 *    sessionStorage ends with the tab: nothing stays behind on a shared workstation.
 * 3. A page that opens with an outcome (data-focus: a review just handed in) puts the focus there, so that
 *    a screen reader reads the verdict first and the next Tab reaches "Volgende post".
 * 4. A checklist question asked only after one answer (data-na-antwoord: the field, data-waarde: the answer)
 *    is hidden until that answer is chosen, unless it holds an error; once another answer is chosen it hides
 *    again. Without this script every question shows, with its condition in words.
 */
(function () {
  "use strict";
  var body = document.body;
  var outcome = document.querySelector("[data-focus]");
  if (outcome) outcome.focus();
  var dependent = document.querySelectorAll("[data-na-antwoord]");

  function answerOf(name) {
    var chosen = document.querySelector('input[name="' + name + '"]:checked');
    if (chosen) return chosen.value;
    var select = document.querySelector('select[name="' + name + '"]');
    return select ? select.value : "";
  }

  function showDependent() {
    Array.prototype.forEach.call(dependent, function (question) {
      var answer = answerOf(question.getAttribute("data-na-antwoord"));
      var invalid = question.querySelector(".kic-field--invalid") !== null;
      var filled = Array.prototype.some.call(question.querySelectorAll("input, textarea"), function (f) {
        return f.value !== "";
      });
      question.hidden = !(invalid || answer === question.getAttribute("data-waarde") || (answer === "" && filled));
    });
  }
  if (dependent.length) {
    showDependent();
    document.addEventListener("change", showDependent);
  }
  var seconds = parseInt(body.getAttribute("data-sessie-seconden") || "0", 10);
  if (!seconds) return;
  var WARN = Math.min(120, Math.floor(seconds / 2));
  var banner = document.getElementById("sessie-melding");
  var deadline = Date.now() + seconds * 1000;
  var expired = false;
  var timer = null;

  function clock(date) {
    return date.toLocaleTimeString("nl-NL", { hour: "2-digit", minute: "2-digit" });
  }

  function loginUrl() {
    return body.getAttribute("data-inloggen") + "?next=" + encodeURIComponent(location.pathname + location.search);
  }

  function show(html) {
    banner.innerHTML = html;
    banner.hidden = false;
  }

  function tick() {
    var left = Math.round((deadline - Date.now()) / 1000);
    if (left <= 0) {
      expired = true;
      show(
        "<p><strong>Uw sessie is verlopen.</strong> " +
          (form ? "Wat u hier invulde is in dit tabblad bewaard en wordt teruggezet als u opnieuw inlogt. " : "") +
          '<a class="kic-button kic-button--primary" href="' + loginUrl() + '">Opnieuw inloggen</a></p>'
      );
      return;
    }
    if (left <= WARN) {
      show(
        "<p><strong>Uw sessie verloopt over " + (left > 60 ? Math.ceil(left / 60) + " minuten" : left + " seconden") +
          "</strong> (om " + clock(new Date(deadline)) + "). " +
          '<button type="button" class="kic-button kic-button--primary" id="sessie-verlengen">Ingelogd blijven</button></p>'
      );
      document.getElementById("sessie-verlengen").addEventListener("click", extend);
    } else {
      banner.hidden = true;
    }
    timer = setTimeout(tick, left <= WARN ? 1000 : (left - WARN) * 1000);
  }

  function alive() {
    // every answer from the server restarts the idle time there; so here too
    deadline = Date.now() + seconds * 1000;
    clearTimeout(timer);
    tick();
  }

  function extend() {
    fetch(body.getAttribute("data-sessie"), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (response.ok) alive();
        else { deadline = 0; clearTimeout(timer); tick(); }
      });
  }

  /* ---- drafts ---- */
  var form = document.querySelector("form[data-concept]");
  var status = document.getElementById("concept-status");
  var key = form ? "kic-concept-" + form.getAttribute("data-concept") : null;
  var pending = null;
  var saving = false;
  var again = false;
  var submitter = null; // a button pressed while a draft was on its way: pressed again when it arrived

  function values() {
    var data = {};
    new FormData(form).forEach(function (value, name) {
      if (name !== body.getAttribute("data-csrf-veld") && name !== "versie") data[name] = String(value).trim();
    });
    return data;
  }

  function same(a, b) {
    var names = Object.keys(a).concat(Object.keys(b));
    return names.every(function (n) { return (a[n] || "") === (b[n] || ""); });
  }

  function remember() {
    sessionStorage.setItem(key, JSON.stringify({ versie: form.elements.versie.value, tijd: Date.now(), waarden: values() }));
  }

  function putBack(saved) {
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.type === "hidden" || field.type === "submit" || field.type === "file") return;
      var value = saved[field.name] || "";
      if (field.type === "radio" || field.type === "checkbox") field.checked = field.value === value;
      else field.value = value;
    });
  }

  function say(text, problem) {
    status.textContent = text;
    status.className = "kic-concept-status" + (problem ? " kic-concept-status--fout" : "");
  }

  function save() {
    pending = null;
    if (expired) return;
    if (saving) { again = true; return; }
    saving = true;
    var data = new FormData(form);
    data.set("concept", "1");
    var sent = values();
    fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      redirect: "manual",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (answer) {
          if (response.ok) {
            form.elements.versie.value = answer.versie;
            alive();
            if (same(values(), sent)) sessionStorage.removeItem(key);
            else remember();
            say("Concept automatisch opgeslagen om " + clock(new Date()) + ".", false);
          } else if (response.status === 401 || response.status === 400 || response.type === "opaqueredirect") {
            deadline = 0; clearTimeout(timer); tick();
            say("Niet opgeslagen: uw sessie is verlopen. Uw antwoorden zijn in dit tabblad bewaard; log opnieuw in.", true);
          } else {
            say("Niet automatisch opgeslagen: " + (answer.melding || "de server gaf een fout") + ".", true);
          }
        });
      })
      .catch(function () {
        say("Niet automatisch opgeslagen: geen verbinding. Uw antwoorden zijn in dit tabblad bewaard.", true);
      })
      .then(function () {
        saving = false;
        if (submitter) {
          var button = submitter;
          submitter = null;
          form.requestSubmit(button); // now with the version the draft got
        } else if (again) {
          again = false;
          save();
        }
      });
  }

  function changed() {
    remember();
    clearTimeout(pending);
    pending = setTimeout(save, 1500);
  }

  if (form) {
    var saved = JSON.parse(sessionStorage.getItem(key) || "null");
    if (saved && !same(saved.waarden, values())) {
      var when = clock(new Date(saved.tijd));
      if (saved.versie === form.elements.versie.value) {
        putBack(saved.waarden);
        say("Uw antwoorden van " + when + " die de server nog niet had, zijn teruggezet en worden nu opgeslagen.", false);
        changed();
      } else {
        // the server has a newer version (another window, a workbook import): the reviewer chooses
        var notice = document.getElementById("concept-terugzetten");
        notice.hidden = false;
        notice.querySelector(".kic-concept-tijd").textContent = when;
        notice.querySelector("button").addEventListener("click", function () {
          putBack(saved.waarden);
          notice.hidden = true;
          changed();
        });
      }
    } else if (saved) {
      sessionStorage.removeItem(key);
    }
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", function (event) {
      remember();
      clearTimeout(pending);
      if (expired) {
        event.preventDefault();
        tick();
      } else if (saving) {
        event.preventDefault();
        submitter = event.submitter;
      }
    });
  }

  tick();
})();
