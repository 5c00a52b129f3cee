import unittest
from palindrome import is_palindrome

class PalindromeTest(unittest.TestCase):
    def test_case(self):
        self.assertTrue(is_palindrome('Racecar'))
        self.assertFalse(is_palindrome('Fugu'))
