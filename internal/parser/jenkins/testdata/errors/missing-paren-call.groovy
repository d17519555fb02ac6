node {
  stage('Build') {
    sh(script: 'make', returnStdout: true
    echo 'done'
  }
}
