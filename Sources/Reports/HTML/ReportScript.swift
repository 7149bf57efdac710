/// The report's only script, inline (the page loads nothing): sorts the
/// summary table by a clicked column (numbers by their `data-v` value, text
/// case-insensitively; missing values last either way), filters its rows by
/// a text matched against each row's `data-k` (suite, test, platform,
/// project) and to regressions (`tr.reg`), counts the rows shown, and opens
/// a closed series section when a link or the address points into it.
/// Without script the page is the same table in report order, every section
/// still one click away.
enum ReportScript {
    static let source = """
        (function () {
          var table = document.getElementById("summary-table");
          function openTarget() {
            var id = decodeURIComponent(location.hash.slice(1));
            var target = id && document.getElementById(id);
            if (target && target.tagName === "DETAILS" && !target.open) { target.open = true; target.scrollIntoView(); }
          }
          window.addEventListener("hashchange", openTarget);
          openTarget();
          if (!table) return;
          var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
          var filter = document.getElementById("filter"), regressions = document.getElementById("only-regressions");
          var shown = document.getElementById("shown");
          function apply() {
            var text = filter.value.trim().toLowerCase(), count = 0;
            rows.forEach(function (row) {
              var visible = (!text || row.getAttribute("data-k").indexOf(text) >= 0)
                && (!regressions.checked || row.classList.contains("reg"));
              row.hidden = !visible;
              if (visible) count++;
            });
            shown.textContent = count + " of " + rows.length + " series shown";
          }
          filter.addEventListener("input", apply);
          regressions.addEventListener("change", apply);
          apply();
          var headers = table.tHead.rows[0].cells;
          Array.prototype.forEach.call(headers, function (th, column) {
            th.addEventListener("click", function () {
              var ascending = th.getAttribute("data-dir") !== "asc";
              Array.prototype.forEach.call(headers, function (h) { h.removeAttribute("data-dir"); });
              th.setAttribute("data-dir", ascending ? "asc" : "desc");
              var numeric = th.getAttribute("data-type") === "num";
              function key(row) {
                var cell = row.cells[column], v = cell.hasAttribute("data-v") ? cell.getAttribute("data-v") : cell.textContent;
                if (!numeric) return v === "\\u2014" ? null : v.toLowerCase();
                v = parseFloat(v);
                return isNaN(v) ? null : v;
              }
              var keyed = rows.map(function (row, i) { return [key(row), i, row]; });
              keyed.sort(function (a, b) {
                if (a[0] === null || b[0] === null) return a[0] === b[0] ? a[1] - b[1] : (a[0] === null ? 1 : -1);
                var order = a[0] < b[0] ? -1 : (a[0] > b[0] ? 1 : 0);
                return (ascending ? order : -order) || a[1] - b[1];
              });
              rows = keyed.map(function (k) { return k[2]; });
              rows.forEach(function (row) { body.appendChild(row); });
            });
          });
        })();
        """
}
