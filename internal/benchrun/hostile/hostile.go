// Package hostile writes the large inputs that hostile repositories hold,
// for the tests that check pipelint copes with them (cmd/pipelint
// hostile_test.go), for the benchmark of whole checks
// (internal/runner BenchmarkCheckLarge), and for make bench, which times
// them as users run pipelint.
package hostile

import (
	"fmt"
	"strings"
)

// LongRunWorkflow is a GitHub workflow of about size bytes whose one step
// runs a single `run:` line of short commands (`echo a; echo a; …`): each
// command becomes a node of the model, with its words and positions.
func LongRunWorkflow(size int) []byte {
	const head = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: "
	const command = "echo a; "
	n := max(size-len(head)-1, 0) / len(command)
	return []byte(head + strings.Repeat(command, n) + "\n")
}

// Shape is a kind of large CI file.
type Shape struct {
	Name string // what is large about it, e.g. "github jobs"
	Path string // where the file sits in its repository, with slashes
	// File writes a file of the shape of about size bytes.
	File func(size int) []byte
	// Invalid files are refused by their CI system; pipelint reports
	// their errors and checks them all the same.
	Invalid bool
}

const (
	workflowPath = ".github/workflows/large.yml"
	gitlabPath   = ".gitlab-ci.yml"
	jenkinsPath  = "Jenkinsfile"
)

// Shapes are the shapes of file that once made a check slow: long lines
// and scripts, many jobs or steps, jobs that rules compare with each other,
// and strings the parsers once rescanned.
func Shapes() []Shape {
	return []Shape{
		{Name: "github run line", Path: workflowPath, File: func(size int) []byte {
			return []byte(job("echo" + repeatTo(size, " word")))
		}},
		{Name: "github long run line", Path: workflowPath, File: LongRunWorkflow},
		{Name: "github run block", Path: workflowPath, File: func(size int) []byte {
			return []byte(job("|\n" + repeatTo(size, "          make build && echo ${{ github.sha }} done\n")))
		}},
		{Name: "github jobs", Path: workflowPath, File: func(size int) []byte {
			return workflow(size, func(i int) string {
				return fmt.Sprintf("  job%d:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: make test %d\n", i, i)
			})
		}},
		{Name: "github steps", Path: workflowPath, File: func(size int) []byte {
			return []byte("on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n" + numbered(size, func(i int) string {
				return fmt.Sprintf("      - name: step %d\n        run: echo %d\n", i, i)
			}))
		}},
		// Each job needs the one before: the job graph is a chain.
		{Name: "github jobs in a chain", Path: workflowPath, File: func(size int) []byte {
			return workflow(size, func(i int) string {
				needs := ""
				if i > 0 {
					needs = fmt.Sprintf("    needs: [job%d]\n", i-1)
				}
				return fmt.Sprintf("  job%d:\n    runs-on: ubuntu-latest\n%s    steps:\n      - uses: actions/checkout@v4\n      - run: make test %d\n", i, needs, i)
			})
		}},
		// Every job deploys to production: rules look for each job's
		// rollback among all the others.
		{Name: "github deploy jobs", Path: workflowPath, File: func(size int) []byte {
			return workflow(size, func(i int) string {
				return fmt.Sprintf("  deploy%d:\n    runs-on: ubuntu-latest\n    environment: production\n    steps:\n      - uses: actions/checkout@v4\n      - run: kubectl apply -f k8s/%d.yaml\n", i, i)
			})
		}},
		// Every job checks out, uploads its workspace and runs git: a
		// rule looks for each checkout's later uploads and git commands.
		{Name: "github jobs that upload", Path: workflowPath, File: func(size int) []byte {
			return workflow(size, func(i int) string {
				return fmt.Sprintf("  job%d:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: make test %d\n      - uses: actions/upload-artifact@v3\n        with:\n          path: .\n      - run: git status\n", i, i)
			})
		}},
		// Every job checks out and pushes: a rule looks for each
		// checkout's later pushes.
		{Name: "github jobs that push", Path: workflowPath, File: func(size int) []byte {
			return workflow(size, func(i int) string {
				return fmt.Sprintf("  job%d:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: make release %d\n      - run: git push origin main\n", i, i)
			})
		}},
		// Every job of a pull_request_target workflow checks out the pull
		// request, builds it and deploys: rules follow each job's checkout
		// to what runs it.
		{Name: "github pull request target jobs", Path: workflowPath, File: func(size int) []byte {
			return []byte("on: pull_request_target\njobs:\n" + numbered(size, func(i int) string {
				return fmt.Sprintf("  job%d:\n    runs-on: ubuntu-latest\n    environment: production\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n      - run: npm ci && npm run build\n      - run: kubectl apply -f k8s/%d.yaml\n", i, i)
			}))
		}},
		// The same, each job needing the one before: a job's gates and the
		// conditions that keep outsiders out are its own and its upstream
		// jobs'.
		{Name: "github pull request target chain", Path: workflowPath, File: func(size int) []byte {
			return []byte("on: pull_request_target\njobs:\n" + numbered(size, func(i int) string {
				needs := ""
				if i > 0 {
					needs = fmt.Sprintf("    needs: [job%d]\n", i-1)
				}
				return fmt.Sprintf("  job%d:\n    runs-on: ubuntu-latest\n%s    environment: production\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n      - run: npm ci && npm run build\n      - run: kubectl apply -f k8s/%d.yaml\n", i, needs, i)
			}))
		}},
		// Self-hosted jobs of a pull_request_target workflow in a chain of
		// needs, every fiftieth guarded: a job is guarded by its own
		// condition or one upstream.
		{Name: "github self-hosted chain", Path: workflowPath, File: func(size int) []byte {
			return []byte("on: pull_request_target\njobs:\n" + numbered(size, func(i int) string {
				guard, needs := "", ""
				if i%50 == 7 {
					guard = "    if: github.event.pull_request.head.repo.full_name == github.repository\n"
				}
				if i > 0 {
					needs = fmt.Sprintf("    needs: [job%d]\n", i-1)
				}
				return fmt.Sprintf("  job%d:\n%s%s    runs-on: [self-hosted, linux]\n    steps:\n      - run: make %d\n", i, guard, needs, i)
			}))
		}},
		// One job whose steps write the pull request's title to
		// $GITHUB_ENV and $GITHUB_OUTPUT and read it back: taint looks up
		// each variable's and output's writes.
		{Name: "github env and outputs in one job", Path: workflowPath, File: func(size int) []byte {
			return []byte("on: pull_request_target\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n" + numbered(size, func(i int) string {
				return fmt.Sprintf("      - id: s%d\n        run: |\n          echo \"V%d=${{ github.event.pull_request.title }}\" >> $GITHUB_ENV\n          echo \"o=${{ github.head_ref }}\" >> $GITHUB_OUTPUT\n      - run: echo ${{ env.V%d }} ${{ steps.s%d.outputs.o }}\n", i, i, i, i)
			}))
		}},
		// Workflow and job env variables set from the pull request, each
		// read by a step: taint looks up each variable in its scope.
		{Name: "github env variables read", Path: workflowPath, File: func(size int) []byte {
			third := size / 3
			return []byte("on: pull_request_target\nenv:\n" + numbered(third, func(i int) string {
				return fmt.Sprintf("  W%d: ${{ github.event.pull_request.title }}\n", i)
			}) + "jobs:\n  a:\n    runs-on: ubuntu-latest\n    env:\n" + numbered(third, func(i int) string {
				return fmt.Sprintf("      J%d: ${{ github.head_ref }}\n", i)
			}) + "    steps:\n" + numbered(third, func(i int) string {
				return fmt.Sprintf("      - run: echo ${{ env.W%d }} ${{ env.J%d }}\n", i, i)
			}))
		}},
		// Each job passes the pull request's title on to the next through
		// its outputs: taint follows every `needs.<job>.outputs` to its
		// job.
		{Name: "github job outputs in a chain", Path: workflowPath, File: func(size int) []byte {
			return []byte("on: pull_request_target\njobs:\n" + numbered(size, func(i int) string {
				needs, source := "", "github.event.pull_request.title"
				if i > 0 {
					needs, source = fmt.Sprintf("    needs: [job%d]\n", i-1), fmt.Sprintf("needs.job%d.outputs.o", i-1)
				}
				return fmt.Sprintf("  job%d:\n    runs-on: ubuntu-latest\n%s    outputs:\n      o: ${{ steps.s.outputs.o }}\n    steps:\n      - id: s\n        run: echo \"o=${{ %s }}\" >> $GITHUB_OUTPUT\n", i, needs, source)
			}))
		}},
		// A reusable workflow whose every input a step echoes: taint looks
		// up each input's declaration.
		{Name: "github workflow_call inputs", Path: workflowPath, File: func(size int) []byte {
			half := size / 2
			return []byte("on:\n  workflow_call:\n    inputs:\n" + numbered(half, func(i int) string {
				return fmt.Sprintf("      in%d:\n        type: string\n", i)
			}) + "jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n" + numbered(half, func(i int) string {
				return fmt.Sprintf("      - run: echo ${{ inputs.in%d }}\n", i)
			}))
		}},
		// A composite action whose steps echo its inputs.
		{Name: "github composite action", Path: "action.yml", File: func(size int) []byte {
			half := size / 2
			return []byte("name: large\ndescription: a composite action\ninputs:\n" + numbered(half, func(i int) string {
				return fmt.Sprintf("  in%d:\n    description: input %d\n", i, i)
			}) + "runs:\n  using: composite\n  steps:\n" + numbered(half, func(i int) string {
				return fmt.Sprintf("    - run: echo \"${{ inputs.in%d }}\"\n      shell: bash\n", i)
			}))
		}},
		// A script that downloads installers and runs them: a rule looks
		// for each download's checksum check and later downloads.
		{Name: "github downloads", Path: workflowPath, File: func(size int) []byte {
			return []byte(job("|\n" + numbered(size, func(i int) string {
				return fmt.Sprintf("          curl -fsSL https://example.com/install%d.sh -o install%d.sh && sh install%d.sh\n", i, i, i)
			})))
		}},
		{Name: "github similar jobs", Path: workflowPath, File: func(size int) []byte {
			return workflow(size, similarJob)
		}},
		{Name: "github duplicate jobs", Path: workflowPath, Invalid: true, File: func(size int) []byte {
			return workflow(size, func(int) string {
				return "  job:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n"
			})
		}},
		{Name: "github hashes in strings", Path: workflowPath, File: func(size int) []byte {
			return []byte("on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with: {" +
				numbered(size, func(i int) string { return fmt.Sprintf(`a%06d: "x #", `, i) }) + "}\n      - run: make # the comment\n")
		}},
		{Name: "gitlab jobs", Path: gitlabPath, File: func(size int) []byte {
			return []byte(numbered(size, func(i int) string {
				return fmt.Sprintf("job%d:\n  image: registry.example.com/tools/image%d:1.2.3\n  script:\n    - make test TARGET=%d %s\n", i, i, i, strings.Repeat("x", 30))
			}))
		}},
		// Every test job waits for every build job: n² needs in n lines.
		{Name: "gitlab two stages", Path: gitlabPath, File: func(size int) []byte {
			return []byte("stages: [build, test]\n" + numbered(size, func(i int) string {
				return fmt.Sprintf("build%d: {stage: build, script: [make]}\ntest%d: {stage: test, script: [make test]}\n", i, i)
			}))
		}},
		// Every job serves Docker-in-Docker without TLS: a rule reports
		// each setting once, at the first flag of its service.
		{Name: "gitlab docker-in-docker jobs", Path: gitlabPath, File: func(size int) []byte {
			return []byte(numbered(size, func(i int) string {
				return fmt.Sprintf("job%d:\n  image: docker:24\n  services:\n    - name: docker:24-dind\n      command: [\"--tls=false\"]\n  variables:\n    DOCKER_HOST: tcp://docker:2375\n    DOCKER_TLS_CERTDIR: \"\"\n  script: [docker build -t app%d ., docker push app%d]\n", i, i, i)
			}))
		}},
		{Name: "gitlab script line", Path: gitlabPath, File: func(size int) []byte {
			return []byte("job:\n  script:\n    - echo" + repeatTo(size, " word") + "\n")
		}},
		{Name: "gitlab script block", Path: gitlabPath, File: func(size int) []byte {
			return []byte("job:\n  script:\n    - |\n" + repeatTo(size, "      make build && echo ${HOME} done\n"))
		}},
		{Name: "gitlab workflow rule", Path: gitlabPath, File: func(size int) []byte {
			return []byte("workflow:\n  rules:\n    - if: '" + strings.TrimSuffix(repeatTo(size, `$CI_COMMIT_BRANCH == "main" || `), " || ") + "'\njob: {script: [make]}\n")
		}},
		{Name: "gitlab hashes in strings", Path: gitlabPath, File: func(size int) []byte {
			return []byte(".strings: [" + repeatTo(size, `"a #", `) + "]\njob: {script: [make]} # the comment\n")
		}},
		{Name: "azure jobs", Path: "azure-pipelines.yml", File: func(size int) []byte {
			return []byte("trigger: [main]\njobs:\n" + numbered(size, func(i int) string {
				return fmt.Sprintf("- job: j%d\n  pool: {vmImage: ubuntu-latest}\n  steps:\n  - checkout: self\n    persistCredentials: true\n  - script: npm ci && npm test\n  - script: curl -fsSL https://example.com/i%d.sh -o i%d.sh && sh i%d.sh\n", i, i, i, i)
			}))
		}},
		// Each job needs the one before, in the workflow.
		{Name: "circleci jobs", Path: ".circleci/config.yml", File: func(size int) []byte {
			jobs := numbered(size/2, func(i int) string {
				return fmt.Sprintf("  j%d:\n    docker:\n      - image: cimg/node:20.%d\n    steps:\n      - checkout\n      - run: npm install && npm test\n      - run: kubectl apply -f k8s/%d.yaml\n", i, i, i)
			})
			n := strings.Count(jobs, "    docker:")
			var workflow strings.Builder
			for i := range n {
				if i == 0 {
					fmt.Fprintf(&workflow, "      - j%d\n", i)
				} else {
					fmt.Fprintf(&workflow, "      - j%d:\n          requires: [j%d]\n", i, i-1)
				}
			}
			return []byte("version: 2.1\njobs:\n" + jobs + "workflows:\n  main:\n    jobs:\n" + workflow.String())
		}},
		// Each deploy waits for an approval that waits for the deploy
		// before: a deploy is gated by every approval upstream of it.
		{Name: "circleci approvals in a chain", Path: ".circleci/config.yml", File: func(size int) []byte {
			jobs := numbered(size/2, func(i int) string {
				return fmt.Sprintf("  j%d:\n    docker: [{image: cimg/base:2024.01}]\n    steps: [checkout, {run: kubectl apply -f k8s/%d.yaml}]\n", i, i)
			})
			var workflow strings.Builder
			for i := range strings.Count(jobs, "    docker:") {
				fmt.Fprintf(&workflow, "      - hold%d:\n          type: approval\n", i)
				if i > 0 {
					fmt.Fprintf(&workflow, "          requires: [j%d]\n", i-1)
				}
				fmt.Fprintf(&workflow, "      - j%d:\n          context: prod\n          requires: [hold%d]\n", i, i)
			}
			return []byte("version: 2.1\njobs:\n" + jobs + "workflows:\n  main:\n    jobs:\n" + workflow.String())
		}},
		{Name: "bitbucket steps", Path: "bitbucket-pipelines.yml", File: func(size int) []byte {
			return []byte("pipelines:\n  default:\n" + numbered(size, func(i int) string {
				return fmt.Sprintf("    - step:\n        name: s%d\n        image: node:latest\n        deployment: production%d\n        script:\n          - npm install\n          - kubectl apply -f k8s/%d.yaml\n", i, i, i)
			}))
		}},
		{Name: "travis jobs", Path: ".travis.yml", File: func(size int) []byte {
			return []byte("language: node_js\njobs:\n  include:\n" + numbered(size, func(i int) string {
				return fmt.Sprintf("    - stage: test%d\n      script: npm install && npm test && curl -fsSL https://example.com/i%d.sh | sh\n", i, i)
			}))
		}},
		{Name: "jenkins sh line", Path: jenkinsPath, File: func(size int) []byte {
			return []byte("node {\n  sh 'echo" + repeatTo(size, " word") + "'\n}\n")
		}},
		{Name: "jenkins sh block", Path: jenkinsPath, File: func(size int) []byte {
			return []byte("node {\n  sh '''\n" + repeatTo(size, "    make build && echo ${HOME} done\n") + "  '''\n}\n")
		}},
		// Environment variables set from a change's title, each echoed by
		// a step: taint looks up each variable's definition.
		{Name: "jenkins environment", Path: jenkinsPath, File: func(size int) []byte {
			half := size / 2
			return []byte("pipeline {\n  agent any\n  environment {\n" + numbered(half, func(i int) string {
				return fmt.Sprintf("    E%d = \"${env.CHANGE_TITLE}\"\n", i)
			}) + "  }\n  stages {\n    stage('s') {\n      steps {\n" + numbered(half, func(i int) string {
				return fmt.Sprintf("        sh \"echo $E%d\"\n", i)
			}) + "      }\n    }\n  }\n}\n")
		}},
		{Name: "jenkins stages", Path: jenkinsPath, File: func(size int) []byte {
			return []byte("pipeline {\n  agent any\n  stages {\n" + numbered(size, func(i int) string {
				return fmt.Sprintf("    stage('s%d') { steps { sh 'make build test%s' } }\n", i, strings.Repeat(" target", 40))
			}) + "  }\n}\n")
		}},
	}
}

// job is a workflow of one job whose one step runs script.
func job(script string) string {
	return "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: " + script + "\n"
}

// workflow is a workflow of as many jobs as fit in size bytes.
func workflow(size int, job func(i int) string) []byte {
	return []byte("on: push\njobs:\n" + numbered(size, job))
}

// numbered joins part(0), part(1), … while they fit in size bytes, and at
// least one.
func numbered(size int, part func(i int) string) string {
	var b strings.Builder
	for i := 0; ; i++ {
		next := part(i)
		if i > 0 && b.Len()+len(next) > size {
			return b.String()
		}
		b.WriteString(next)
	}
}

// repeatTo repeats s as often as fits in size bytes, at least once.
func repeatTo(size int, s string) string { return strings.Repeat(s, max(size/len(s), 1)) }

// similarJob is a job that tests, builds an image and reads a secret, as
// generated matrix-like workflows repeat with a different number.
func similarJob(i int) string {
	return fmt.Sprintf(`  test%d:
    runs-on: ubuntu-latest
    env:
      API_TOKEN: ${{ secrets.TOKEN }}
      MODE: ci
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - run: npm ci
      - run: npm test -- --shard=%d
      - run: docker build -t app:%d . && docker push app:%d
`, i, i, i, i)
}
