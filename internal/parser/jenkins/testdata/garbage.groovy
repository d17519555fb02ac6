pipeline {
  stages { stage('A') { steps { sh 'ok' } } }
  )) ]] garbage %% 
}
