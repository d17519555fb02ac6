package config

import (
	"fmt"
	"io"
	"strconv"

	"gopkg.in/yaml.v3"
)

// Print writes c as a config file: keys in a fixed order, rules sorted by
// id, option maps sorted by key, so the output is the same on every run.
// Pass Effective(c, rules) to show the settings of every rule. A nil c
// prints an empty config.
func Print(w io.Writer, c *Config) error {
	if c == nil {
		c = &Config{}
	}
	root := &yaml.Node{Kind: yaml.MappingNode}
	if c.File != "" {
		root.HeadComment = "from " + c.File
	}
	if len(c.Rules) > 0 {
		rules := &yaml.Node{Kind: yaml.MappingNode}
		for _, r := range c.Rules {
			rules.Content = append(rules.Content, scalar(r.ID), ruleNode(r))
		}
		root.Content = append(root.Content, scalar("rules"), rules)
	}
	if len(c.IgnorePaths) > 0 {
		root.Content = append(root.Content, scalar("ignore-paths"), flowList(c.IgnorePaths))
	}
	if len(c.Policies) > 0 {
		root.Content = append(root.Content, scalar("policies"), flowList(c.Policies))
	}
	if len(root.Content) == 0 { // the encoder would drop the comment of an empty mapping
		if root.HeadComment != "" {
			fmt.Fprintf(w, "# %s\n", root.HeadComment)
		}
		_, err := fmt.Fprintln(w, "{}")
		return err
	}
	encoder := yaml.NewEncoder(w)
	encoder.SetIndent(2)
	if err := encoder.Encode(root); err != nil {
		return err
	}
	return encoder.Close()
}

func ruleNode(r Rule) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode}
	if r.Severity != "" {
		n.Content = append(n.Content, scalar("severity"), scalar(string(r.Severity)))
	}
	if r.Enabled != nil {
		n.Content = append(n.Content, scalar("enabled"), &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(*r.Enabled)})
	}
	if len(r.IgnorePaths) > 0 {
		n.Content = append(n.Content, scalar("ignore-paths"), flowList(r.IgnorePaths))
	}
	if r.Options != nil {
		var options yaml.Node
		// Encoding a map[string]any sorts its keys; it cannot fail for the
		// JSON-like values Parse produces.
		if err := options.Encode(r.Options); err == nil {
			n.Content = append(n.Content, scalar("options"), &options)
		}
	}
	return n
}

func scalar(value string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: value}
}

func flowList(values []string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
	for _, v := range values {
		n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v, Style: yaml.DoubleQuotedStyle})
	}
	return n
}
