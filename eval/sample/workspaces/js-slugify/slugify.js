function slugify(s) {
  return s.trim().toLowerCase().replace(' ', '-');
}
module.exports = { slugify };
