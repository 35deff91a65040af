// The demo platform's own script: it signs nobody in for real, it just tells
// Helpline who the user is, the way an internal platform would.
Helpline.init({
  platform: "ads-console",
  platformVersion: "4.2.0",
  user: { id: "u-1001", name: "Dana Wu", email: "dana.wu@example.com" }
});
document.getElementById("export").addEventListener("click", function () {
  fetch("/demo/api/export.csv").catch(function () {});
});
