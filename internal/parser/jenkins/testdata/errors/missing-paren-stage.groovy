pipeline {
  stages {
    stage('Build' {
      steps {
        sh 'make'
      }
    }
  }
}
