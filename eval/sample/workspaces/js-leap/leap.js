function isLeapYear(y) {
  return y % 4 === 0;
}
module.exports = { isLeapYear };
