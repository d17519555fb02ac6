pipeline {
  agent none
  libraries { lib('shared@v2') }
  stages {
    stage('Any') { agent any
      steps { sh 'a' } }
    stage('Label') {
      agent { label 'linux && x64' }
      steps { bat 'b.cmd' }
    }
    stage('Node') {
      agent { node { label 'big'; customWorkspace '/w' } }
      steps { powershell 'Get-Item' }
    }
    stage('DockerShort') {
      agent { docker 'registry.example.com:5000/team/img:1.0' }
      steps { pwsh 'x' }
    }
    stage('Dockerfile') {
      agent { dockerfile { filename 'ci.Dockerfile'; label 'docker' } }
      steps { sh 'd' }
    }
    stage('K8s') {
      agent {
        kubernetes {
          yaml '''
spec:
  containers:
  - name: maven
    image: maven:3.9@sha256:0123
  - name: db
    image: "postgres:16"
'''
        }
      }
      steps { container('maven') { sh 'mvn -v' } }
    }
  }
}
