// trawl: small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Show the search filters open on wide screens; on a phone they stay
  // folded so the results come first.
  var filters = document.getElementById("filters");
  if (filters && window.matchMedia && window.matchMedia("(min-width: 48rem)").matches) {
    filters.open = true;
  }
})();
