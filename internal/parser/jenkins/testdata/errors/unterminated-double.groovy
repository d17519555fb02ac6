pipeline {
  stages {
    stage('Build') {
      steps {
        sh "make ${TARGET}
        echo 'done'
      }
    }
  }
}
