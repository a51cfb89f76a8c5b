// Filters of the HTML report by severity and code. The page is whole without this script: the
// filter form is hidden until the script shows it, and only hides what the reader chose.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) { return; }
  form.hidden = false;
  var findings = Array.prototype.slice.call(document.querySelectorAll(".finding"));
  var shown = document.getElementById("shown");
  function apply() {
    var severities = {};
    Array.prototype.forEach.call(form.querySelectorAll("input[name=severity]"), function (box) {
      severities[box.value] = box.checked;
    });
    var code = form.elements.code.value;
    var count = 0;
    findings.forEach(function (finding) {
      var visible = severities[finding.dataset.severity] && (code === "" || finding.dataset.code === code);
      finding.hidden = !visible;
      if (visible) { count += 1; }
    });
    Array.prototype.forEach.call(document.querySelectorAll(".group"), function (group) {
      group.hidden = group.querySelector(".finding:not([hidden])") === null;
    });
    shown.textContent = shown.dataset.template.replace("{shown}", count).replace("{total}", findings.length);
  }
  form.addEventListener("change", apply);
  Array.prototype.forEach.call(document.querySelectorAll("a[data-code]"), function (link) {
    link.addEventListener("click", function () { form.elements.code.value = link.dataset.code; apply(); });
  });
  apply();
}());
