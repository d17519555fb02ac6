node {
  stage 'Checkout'
  checkout scm
  stage 'Build'
  def out = sh(returnStdout: true, script: 'git rev-parse HEAD').trim()
  if (out) {
    sh "make VERSION=${out}"
  } else {
    error 'no commit'
  }
  sh 'echo ' + out
  "${tool}"()
}
