pipeline {
    agent any
    stages {
        stage('Build') {
            steps {
                sh 'make'
                archiveArtifacts artifacts: 'dist/*.tar.gz, build/**/*.jar', fingerprint: true
                stash name: 'env', includes: '.env reports/'
                stash 'everything'
            }
            post {
                always {
                    archiveArtifacts 'logs/*.log'
                }
            }
        }
    }
}

node {
    stage('Legacy') {
        archive 'target/*.war'
    }
}
