import unittest
from chunks import chunk

class ChunkTest(unittest.TestCase):
    def test_tail(self):
        self.assertEqual(chunk([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]])
