buildPlugin(useContainerAgent: true, configurations: [[platform: "linux", jdk: 17]])
