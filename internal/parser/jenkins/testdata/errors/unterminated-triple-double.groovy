pipeline {
  stages {
    stage('Build') {
      steps {
        sh """
          make ${X}
        echo 'done'
      }
    }
  }
}
