pipeline {
  stages {
    stage('Build') {
      steps {
        sh 'make' )
        # run the tests
        sh 'make test'
      }
    }
  }
}
