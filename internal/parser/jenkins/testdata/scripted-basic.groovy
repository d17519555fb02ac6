#!groovy
@Library(['a@1', 'b@0123456789abcdef0123456789abcdef01234567']) _
library identifier: "c@${BRANCH}", retriever: modernSCM([$class: 'GitSCMSource'])
properties([parameters([string(name: 'TOKEN', defaultValue: 'abc')]), pipelineTriggers([cron('H 2 * * *')])])
node('linux') {
  sh 'loose'   // pipelint: ignore[x]
  stage('Build') {
    try {
      docker.image('maven:3@sha256:abc').inside('-v /cache:/root/.m2') { sh(script: "mvn -B", returnStdout: true).trim() }
    } catch (e) {
      sh """kubectl rollout undo
 ${X}"""
      throw e
    } finally { junit 'a.xml' }
  }
  stage('Par') {
    parallel a: { sh 'x' }, b: { echo 'y' }, failFast: true
  }
  withEnv(["PATH+X=${tool 'mvn'}/bin", 'A=b']) { sh 'mvn' }
  parallel builds
}
parallel one: { node { sh 'o' } }, two: { stage('T') { sh 't' } }
