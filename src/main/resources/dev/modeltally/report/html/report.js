(function () {
  'use strict';
  // Sortable tables: numbers sort by data-v (unknown last, whatever the direction), text by content.
  // A cell spanning several columns stands for the last of them only.
  function cellAt(row, col) {
    var start = 0;
    for (var i = 0; i < row.cells.length; i++) {
      var span = row.cells[i].colSpan || 1;
      if (col < start + span) return col === start + span - 1 ? row.cells[i] : null;
      start += span;
    }
    return null;
  }
  function key(row, col, numeric) {
    var cell = cellAt(row, col);
    if (!cell) return null;
    if (!numeric) return cell.textContent.trim().toLowerCase();
    var v = cell.getAttribute('data-v');
    if (v === null || v === '') return null;
    var n = Number(v);
    return isNaN(n) ? null : n;
  }
  function sortBy(table, th, col) {
    var numeric = th.getAttribute('data-sort') === 'num';
    var current = th.getAttribute('aria-sort');
    var dir = current ? (current === 'ascending' ? -1 : 1) : (numeric ? -1 : 1);
    var body = table.tBodies[0];
    var keyed = Array.prototype.map.call(body.rows, function (r, i) {
      return { row: r, k: key(r, col, numeric), i: i };
    });
    keyed.sort(function (a, b) {
      if (a.k === null || b.k === null) return ((a.k === null) - (b.k === null)) || a.i - b.i;
      if (a.k < b.k) return -dir;
      if (a.k > b.k) return dir;
      return a.i - b.i;
    });
    var frag = document.createDocumentFragment();
    keyed.forEach(function (e) { frag.appendChild(e.row); });
    body.appendChild(frag);
    Array.prototype.forEach.call(th.parentNode.cells, function (h) { h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
  }
  document.querySelectorAll('table.sortable').forEach(function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
      var b = th.querySelector('button');
      if (b) b.addEventListener('click', function () { sortBy(table, th, col); });
    });
  });
  // Filter boxes: hide rows whose text does not contain the query.
  document.querySelectorAll('input.filter').forEach(function (input) {
    var table = document.getElementById(input.getAttribute('data-table'));
    if (!table) return;
    input.addEventListener('input', function () {
      var q = input.value.trim().toLowerCase();
      Array.prototype.forEach.call(table.tBodies[0].rows, function (r) {
        r.hidden = q !== '' && r.textContent.toLowerCase().indexOf(q) < 0;
      });
    });
  });
  document.documentElement.classList.add('js');
})();
