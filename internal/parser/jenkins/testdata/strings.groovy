node {
  withCredentials([usernamePassword(credentialsId: 'reg', usernameVariable: 'U', passwordVariable: 'P'), [$class: 'StringBinding', credentialsId: 'k', variable: 'K']]) {
    sh "docker login -u $U -p ${P} # héllo ✓"
    sh 'echo $P'
    sh "echo \${P}"
    sh $/echo ${K} $$HOME/$
    sh """
      set +x
      curl -H "Authorization: ${env.K}" https://x
    """
    sh 'vsce publish -p ${K} --packagePath' + " ${files[0].path}" + K + '!'
    echo "as ${U}" + ('' + env.P)
  }
}
