pipeline {
  stages {
    stage('Build') {
      steps {
        sh 'make
        echo 'done'
      }
    }
  }
}
