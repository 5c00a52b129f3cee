import unittest
from words import word_count

class WordCountTest(unittest.TestCase):
    def test_spaces(self):
        self.assertEqual(word_count('a  b   c'), 3)

    def test_empty(self):
        self.assertEqual(word_count(''), 0)
