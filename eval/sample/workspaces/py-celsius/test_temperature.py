import unittest
from temperature import to_celsius

class CelsiusTest(unittest.TestCase):
    def test_boiling(self):
        self.assertAlmostEqual(to_celsius(212), 100)

    def test_freezing(self):
        self.assertAlmostEqual(to_celsius(32), 0)
