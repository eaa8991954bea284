-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)
--
-- Host: 10.44.0.21    Database: gestloc
-- ------------------------------------------------------
-- Server version	8.0.36-0ubuntu0.22.04.1

/*!40101 SET NAMES utf8mb4 */;

DROP TABLE IF EXISTS `locataires`;
CREATE TABLE `locataires` (
  `id` int NOT NULL AUTO_INCREMENT,
  `nom` varchar(80) NOT NULL,
  `prenom` varchar(80) NOT NULL,
  `date_naissance` date DEFAULT NULL,
  `nir` char(15) DEFAULT NULL,
  `adresse` varchar(120) DEFAULT NULL,
  `complement` varchar(120) DEFAULT NULL,
  `cp` char(5) DEFAULT NULL,
  `ville` varchar(60) DEFAULT NULL,
  `tel` varchar(20) DEFAULT NULL,
  `email` varchar(120) DEFAULT NULL,
  `date_entree` date DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

LOCK TABLES `locataires` WRITE;
INSERT INTO `locataires` (`id`, `nom`, `prenom`, `date_naissance`, `nir`, `adresse`, `complement`, `cp`, `ville`, `tel`, `email`, `date_entree`) VALUES
(1000,'NGUYEN','Mai','1991-05-14','291054426161748','14 rue Jules Verne','Résidence Les Mouettes Bât. B','44600','SAINT-NAZAIRE','0684608929','mai.nguyen91@gmail.com','2023-10-04'),
(1001,'NGUYEN','Thi Mai','1978-11-02','278119928243611','61 rue des Hauts-Pavés','Résidence Jules Verne Bât. E','44000','NANTES','0635703587','nguyen.thimai@orange.fr','2017-08-28'),
(1002,'GUILBAUD','Bénédicte','1990-02-17','290023511393450','101 allée des Tanneurs','Résidence Jules Verne Bât. A','44550','MONTOIR-DE-BRETAGNE','0784711373','benedicte.guilbaud@free.fr','2005-07-22'),
(1003,'N''GUESSAN','Ioana','2002-10-06','179066933045114','129 boulevard de la Légion d''Honneur',NULL,'44200','NANTES','0765857841','ioana_nguessan@free.fr','2014-08-11'),
(1004,'SOUSA SANTOS','Rui Miguel','1960-09-07','160094434663880','42 rue de Strasbourg','Résidence Jules Verne Bât. A','44340','BOUGUENAIS','0656845311','sousasantos.ruimiguel5@orange.fr','2018-11-21'),
(1005,'NGUYEN','Aminata','1967-03-01','267034920608934','72 boulevard Victor Hugo',NULL,'44000','NANTES','0626495197','anguyen@yahoo.fr','2016-08-17'),
(1006,'LE BIHAN','Gaëlle','1966-12-01','266123515643315','3 impasse des Mouettes',NULL,'44380','PORNICHET','0601460723','gaelle.lebihan@wanadoo.fr','2018-08-15'),
(1007,'O''NEILL','Florin','1959-03-25','159033512719316','140 rue du Général Buat','Résidence Jules Verne Bât. B','44380','PORNICHET','0615734440','florin.oneill@sfr.fr','2010-06-10'),
(1008,'HADDOU','Jean-Yves','1982-05-10','182054423234631','93 quai de la Fosse',NULL,'44230','SAINT-SÉBASTIEN-SUR-LOIRE','0757669163','jean-yves.haddou@sfr.fr','2007-01-04');
UNLOCK TABLES;

DROP TABLE IF EXISTS `fournisseurs`;
CREATE TABLE `fournisseurs` (`id` int, `raison_sociale` varchar(120), `siret` char(14), `iban` varchar(34), `tel` varchar(20), `adresse` varchar(200));
INSERT INTO `fournisseurs` VALUES (1,'Plomberie Durand SARL','74767577504389','FR7642559410266817020636394','02 40 52 18 30','7 rue des Artisans, 44470 Carquefou'),(2,'Menuiserie Guilbaud & Fils','39352958106882','FR7617806776634109544465804','02 40 01 44 72','ZA de la Gare, 4 rue de l''Industrie, 44160 Pontchâteau'),(3,'Électricité Le Guen SAS','65031876917243','FR7630004828776134424280761','02 40 66 09 15','18 rue Henri Gautier, 44600 Saint-Nazaire'),(4,'Transports Ben Ali','86653790544707','FR7610096206528580875797444','02 51 13 77 20','5 rue de la Pâtisserie, 44300 Nantes'),(5,'Atlantique Ascenseurs SA','53188617492482','FR7630004670565404895495065','02 40 89 12 00','27 boulevard des Martyrs Nantais, 44200 Nantes'),(6,'Nettoyage Océane Services','87621199666800','FR7610096059065382493298242','02 28 03 45 60','9 rue des Frères Lumière, 44800 Saint-Herblain');

DROP TABLE IF EXISTS `logements`;
CREATE TABLE `logements` (`id` int, `programme` varchar(80), `lat` decimal(9,6), `lon` decimal(9,6), `compteur_mac` char(17), `uuid` char(36), `maj` datetime);
INSERT INTO `logements` VALUES (1,'Résidence Les Mouettes',47.175035,-1.603251,'FC:12:DE:D9:6A:34','4811dff0-6a0f-449d-bca0-14a8d1d7e425','2024-05-05 08:00:00'),(2,'Résidence Océane',47.234354,-1.608168,'38:8E:20:1F:12:DF','332a99c5-a72d-4cf9-bab6-f8045f4a31a8','2024-05-01 09:00:00'),(3,'Résidence Jules Verne',47.269990,-2.244936,'07:3A:EA:59:94:03','f4868c12-7b08-4f0b-a510-c1e47d47ac33','2024-05-01 00:00:00'),(4,'Résidence Aristide Briand',47.176997,-1.938358,'08:93:64:BC:FE:FC','c0ec8baa-820a-4f92-9567-f7625ef7e78b','2024-05-09 05:00:00'),(5,'Résidence Aristide Briand',47.169682,-2.011131,'E9:2B:9D:3D:E7:D5','608ec28f-0dfd-4893-bd41-b1e72353ecf7','2024-05-05 03:00:00'),(6,'Résidence Jules Verne',47.230722,-2.073716,'59:B0:8D:98:FA:0B','b117f4b0-ef21-430a-a5bc-569731341f86','2024-05-09 04:00:00');

-- Dump completed on 2024-05-02 03:00:21
