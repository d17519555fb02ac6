// leading comment
/* block
   comment */
pipeline {
  agent any
  options { timeout(time: 1, unit: 'HOURS'); buildDiscarder(logRotator(numToKeepStr: '5')) }
  tools { maven 'M3' }
  triggers { pollSCM('H/5 * * * *'); upstream(upstreamProjects: 'a', threshold: hudson.model.Result.SUCCESS) }
  parameters {
    choice(name: 'ENV', choices: ['dev', 'prod'])
    password(name: 'PW', defaultValue: '')
  }
  stages {
    stage('Outer') {
      environment { FOO = 'bar' }
      when { beforeAgent true; branch 'main' }
      stages {
        stage('Inner 1') { steps { echo 'i1' } }
        stage('Inner 2') { steps { echo 'i2' } }
      }
      post { unsuccessful { sh 'notify' } }
    }
    stage('Matrix') {
      matrix {
        axes {
          axis { name 'OS'; values 'linux', 'windows' }
        }
        stages { stage('Cell') { steps { sh "build ${OS}" } } }
      }
    }
    stage('Approve') {
      input { message 'Ship?'; ok 'Yes'; submitter 'release-managers' }
      steps {
        cache(maxCacheSize: 250, caches: [arbitraryFileCache(path: '.m2/repository', cacheValidityDecidingFile: 'pom.xml')]) {
          sh './mvnw -B deploy'
        }
      }
    }
  }
  post {
    success { echo 'ok' }
    fixed { echo 'fixed' }
    regression { sh 'rollback' }
    cleanup { deleteDir() }
  }
}
