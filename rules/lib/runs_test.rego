package pipelint.lib.runs_test

import data.pipelint.lib.runs

test_groups_keep_each_keys_values_in_order if {
	runs.groups([["a", 1, "x"], ["a", 2, "y"], ["b", 1, "z"]]) == {"a": ["x", "y"], "b": ["z"]}
	runs.groups([[["job", 0], "v"]]) == {["job", 0]: ["v"]}
	runs.groups([]) == {}
}

test_group_sets if {
	runs.group_sets([["a", 1], ["a", 2], ["a", 2], ["b", 3]]) == {"a": {1, 2}, "b": {3}}
	runs.group_sets([]) == {}
}

test_reversed if {
	runs.reversed({0: {1, 2}, 1: {2}, 2: set()}) == {0: set(), 1: {0}, 2: {0, 1}}
	runs.reversed({}) == {}
}

test_bounds if {
	runs.bounds(["a", "a", "b", "c", "c", "c"]) == [[0, 2], [2, 3], [3, 6]]
	runs.bounds([1]) == [[0, 1]]
	runs.bounds([]) == []
}
