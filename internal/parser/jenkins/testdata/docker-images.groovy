// Images named by the file's constants are read as their literals; other
// names are computed at run time.
def NODE_IMAGE = 'node:20'
def registry = "registry.example.com"
def moving = 'alpine:3.19'

pipeline {
  agent none
  parameters {
    string(name: 'TOOLS_TAG', defaultValue: '1.0')
  }
  environment {
    PYTHON_VERSION = '3.12'
    MAVEN = 'maven:3.9'
    JDK = 'eclipse-temurin:21'
  }
  stages {
    stage('agent from environment') {
      agent { docker { image env.JDK } }
      steps { sh 'java -version' }
    }
    stage('agent from an environment entry withEnv changes') {
      agent { docker { image MAVEN } }
      steps { sh 'mvn -B verify' }
    }
    stage('dockerfile') {
      agent { dockerfile { filename 'ci/Dockerfile' } }
      steps { sh 'make' }
    }
    stage('scripted images') {
      agent any
      steps {
        script {
          docker.image(NODE_IMAGE).inside { sh 'npm ci' }
          docker.image("${registry}/python:${PYTHON_VERSION}").inside { sh 'pytest' }
          docker.image("${registry}/tools:${params.TOOLS_TAG}").inside { sh 'lint' }
          docker.image("${env.REGISTRY}/app").pull()
          withDockerContainer(image: 'golang:1.22', args: '-v /tmp/go:/go/pkg') { sh 'go test ./...' }
          docker.image('registry.example.com/acme/app:ci').push('latest')
          docker.image('redis:7').withRun('-p 6379:6379') { c -> sh 'make integration' }
          moving = 'alpine:3.20'
          docker.image(moving).inside { sh 'true' }
          withEnv(['MAVEN=maven:4']) { echo 'shadowed' }
          def named = docker.image('ubuntu')
          echo "${named.imageName()}"
          def cache = docker.image('redis:7-alpine')
          cache.pull()
        }
      }
    }
  }
}

def build(image) {
  docker.image(image).inside { sh 'make' }
}
