function parsePrice(s) {
  return parseFloat(s);
}
module.exports = { parsePrice };
