# METADATA
# description: |
#   Grouping in linear time. In OPA 1.22 a comprehension that picks one
#   group out of a collection ([x | some x in xs; x.job == i]) is evaluated
#   again for every group when a rule or function called per group holds
#   it: its comprehension index does not outlive that evaluation, and a
#   function's comprehension over its own argument is not indexed at all.
#   A partial object rule (groups[k] contains x) checks each new entry
#   against every entry before it, however few the keys. Grouping either
#   way takes time quadratic in the pipeline. Two ways are linear: in one
#   complete rule, the keys and then each group by a comprehension over a
#   rule's value, which OPA indexes by the key once for all the groups
#   (commands.matched_by_table); or, for groups that keep an order, a
#   sorted collection, which holds each group as a run of equal neighbours
#   (bounds, and groups for a key's values).
package pipelint.lib.runs

# bounds lists, for an array of keys in sorted order, the run of each
# distinct key as [start, end]: keys[start] is its first, keys[end - 1] its
# last.
bounds(keys) := [[start, ends[g]] | some g, start in starts] if {
	starts := [k | some k, _ in keys; not same_as_previous(keys, k)]
	ends := array.concat(array.slice(starts, 1, count(starts)), [count(keys)])
}

# groups holds, for a sorted array of entries [key, ..., value], the
# values of each key in the array's order: each key's run (see bounds).
# Put what orders a key's values between the key and the value.
groups(sorted) := {sorted[start][0]: [entry[count(entry) - 1] | some entry in array.slice(sorted, start, end)] |
	some [start, end] in bounds([entry[0] | some entry in sorted])
}

# group_sets is groups with each key's values as a set, for groups whose
# order does not matter.
group_sets(sorted) := {key: {value | some value in values} | some key, values in groups(sorted)}

# reversed turns a graph (node: set of the nodes it points to) around:
# every node of it to the nodes that point to it. Every node stays a key,
# for graph.reachable leaves out the nodes that are not keys.
reversed(graph) := object.union({node: set() | some node, _ in graph}, group_sets(sort([[to, from] | some from, tos in graph; some to in tos])))

same_as_previous(keys, k) if {
	k > 0
	keys[k - 1] == keys[k]
}
