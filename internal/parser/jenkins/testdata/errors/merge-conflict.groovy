pipeline {
  stages {
    stage('Build') {
      steps {
<<<<<<< HEAD
        sh 'make'
=======
        sh 'make all'
>>>>>>> feature
      }
    }
  }
}
