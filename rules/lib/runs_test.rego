package pipelint.lib.runs_test

import data.pipelint.lib.runs

test_bounds if {
	runs.bounds(["a", "a", "b", "c", "c", "c"]) == [[0, 2], [2, 3], [3, 6]]
	runs.bounds([1]) == [[0, 1]]
	runs.bounds([]) == []
}
