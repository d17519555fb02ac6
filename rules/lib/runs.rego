# METADATA
# description: |
#   Grouping in linear time. In OPA 1.22 a comprehension that picks one
#   group out of a collection ([x | some x in xs; x.job == i]) is evaluated
#   again for every group: its comprehension index does not outlive the
#   evaluation of the rule or function around it. A partial object rule
#   (groups[k] contains x) checks each new key against every key before it.
#   Grouping either way takes time quadratic in the pipeline. Sorted, a
#   collection holds each group as a run of equal neighbours instead.
package pipelint.lib.runs

# bounds lists, for an array of keys in sorted order, the run of each
# distinct key as [start, end]: keys[start] is its first, keys[end - 1] its
# last.
bounds(keys) := [[start, ends[g]] | some g, start in starts] if {
	starts := [k | some k, _ in keys; not same_as_previous(keys, k)]
	ends := array.concat(array.slice(starts, 1, count(starts)), [count(keys)])
}

same_as_previous(keys, k) if {
	k > 0
	keys[k - 1] == keys[k]
}
