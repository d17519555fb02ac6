@Library('lib@1.2') _
pipeline {
  agent { docker { image 'maven:3-jdk11'; args '-v $HOME/.m2:/root/.m2' } }
  environment { C = credentials('id'); X = "a${B}"; L = 'lit' }
  parameters { string(name: 'PASSWORD', defaultValue: 'x'); booleanParam(name: 'ROLLBACK', defaultValue: false) }
  triggers { cron('H 2 * * *') }
  stages {
    stage('Build') {
      steps {
        sh "echo ${C} $N.x"
        sh script: '''ls
pwd''', returnStdout: true
        junit allowEmptyResults: true, testResults: 'a.xml'
      }
      post { failure { sh 'helm rollback' } }
    }
    stage('Tests') {
      parallel {
        stage('Unit') { agent { label 'linux' } steps { sh 'make test' } }
        stage('IT') { when { branch 'main' } steps { withCredentials([string(credentialsId: 't', variable: 'T')]) { sh 'echo $T' } } }
      }
    }
    stage('Deploy') { input { message 'ok?' } steps { script { docker.image('alpine').inside { sh 'x' } } } }
  }
  post { always { cleanWs() } }
}
