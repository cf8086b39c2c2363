// A local helper named `request` in a file that loads no HTTP package is not an HTTP call.
function request(path) {
  return cache.get(path);
}

function lookup(id) {
  return request('/products/' + id); // expect-not: consumes
}
