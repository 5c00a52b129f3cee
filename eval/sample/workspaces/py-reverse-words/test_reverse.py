import unittest
from reverse import reverse_words

class ReverseTest(unittest.TestCase):
    def test_words(self):
        self.assertEqual(reverse_words('one two three'), 'three two one')
