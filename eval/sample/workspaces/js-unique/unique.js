function unique(xs) {
  return [...new Set(xs)].sort();
}
module.exports = { unique };
