node {
  sh "echo ${FOO"
  sh "ok"
}
