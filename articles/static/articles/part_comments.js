// Shows each open comment on a part of the text beside that part of the
// change form (the full thread, with reply and resolve, stays at the top).
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  const rows = {title: ".form-row.field-title", short_answer: ".form-row.field-short_answer", body: ".form-row.field-body"};
  const inlines = {faq: "faqs", takeaway: "key_takeaways", reference: "references"};
  document.querySelectorAll(".part-comment[data-part]").forEach(function (comment) {
    const [kind, number] = comment.dataset.part.split(":");
    let target = null;
    if (kind === "body" || rows[kind]) {
      target = document.querySelector(rows[kind] || rows.body);
    } else if (inlines[kind]) {
      target = document.getElementById(inlines[kind] + "-" + (Number(number) - 1));
    }
    if (!target) {
      return;
    }
    const note = document.createElement("p");
    note.className = "part-comment-marker";
    const link = document.createElement("a");
    link.href = "#" + comment.id;
    link.textContent = "Open comment: " + comment.querySelector(".part-comment__text").textContent.trim();
    note.appendChild(link);
    target.insertBefore(note, target.firstChild);
  });
});
